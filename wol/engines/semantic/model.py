"""The static-embedding model that ships in wol's package: loaded from disk, never from a hub.

`wol/resources/semantic/` is a model2vec `StaticModel` (tokenizer, one vector per
token) distilled from all-MiniLM-L6-v2 (`benchmarks/distill_semantic.py` makes it
again). Loading it reads a few megabytes, once per process.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

MODEL_DIR = Path(__file__).resolve().parents[2] / "resources" / "semantic"
SWITCH = "WOL_SEMANTIC"  # set to 0 to build and search without meaning (benchmarks, comparisons)
_LOCK = threading.Lock()
_LOADED: dict[str, object] = {}


def semantic_enabled(language: str = "en") -> bool:
    """Meaning is on for English content unless `WOL_SEMANTIC=0` (the model is English)."""
    off = os.environ.get(SWITCH, "1").strip().lower() in ("0", "off", "false", "no")
    return not off and (language or "en").lower().replace("_", "-").split("-")[0] == "en"


def version(path: Path = MODEL_DIR) -> str:
    """The shipped model's version (part of every cache key made from it)."""
    return (path / "VERSION").read_text(encoding="utf-8").strip()


def load(path: Path = MODEL_DIR, cache: Path | None = None):
    """The process's model2vec `StaticModel` (loaded on first use, from the folder alone). With `cache` (a
    folder), the model as this process made it is kept there as a pickle, named after the model's version and
    the libraries', so that the next process unpickles it instead of making it again (a few tenths of a second
    in a build after an edit, which needs the model for the one document that changed)."""
    with _LOCK:
        key = str(path)
        if key not in _LOADED:
            _LOADED[key] = _kept(Path(path), Path(cache)) if cache else _read(Path(path))
        return _LOADED[key]


def _kept(folder: Path, cache: Path):
    from importlib import metadata

    from ...content.cachefiles import load_pickle, save_pickle
    libraries = "-".join(metadata.version(name) for name in ("model2vec", "tokenizers", "numpy"))
    name = f"model-{version(folder)}-{libraries}.pickle"
    _quiet_tqdm()
    found = load_pickle(cache, name)
    if found is None or type(found).__name__ != "StaticModel":
        found = _read(folder)
        save_pickle(cache, name, found)
    return found


def _quiet_tqdm() -> None:
    import tqdm
    tqdm.tqdm.monitor_interval = 0  # model2vec's progress bars (off) would start tqdm's monitor thread: a
    # process with a thread of its own cannot fork safely, and a big build forks for its search files


def _read(folder: Path):
    """A `StaticModel` made from the folder's three files, as `StaticModel.from_pretrained` makes it from
    a local folder, without importing the Hugging Face hub client that it needs for a hub's models
    (a quarter of a second, on every build that encodes a changed document)."""
    import json

    from model2vec import StaticModel
    from safetensors import safe_open
    from tokenizers import Tokenizer

    _quiet_tqdm()
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    with safe_open(str(folder / "model.safetensors"), framework="numpy") as tensors:
        named = {name: tensors.get_tensor(name) for name in tensors.keys()}
    return StaticModel(vectors=named["embeddings"], tokenizer=Tokenizer.from_file(str(folder / "tokenizer.json")),
                       weights=named.get("weights"), token_mapping=named.get("mapping"), config=config,
                       normalize=config.get("normalize", False), max_length=config.get("max_length", 512))
