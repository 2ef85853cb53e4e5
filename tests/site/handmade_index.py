"""A small static search index written by hand in the format `wol build` writes (site/search/), so the
search box can be tested against the format itself: shards by CRC-32, big stems, typo candidates,
answers, filters — with weights chosen by the test, not by the ranking."""

from __future__ import annotations

import json
import zlib
from pathlib import Path

STOP = ["a", "an", "and", "is", "the", "to", "why"]


def crc32(text: str) -> int:
    return zlib.crc32(text.encode("utf-8"))


def _dump(path: Path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def write_index(folder: Path, records: list[dict], postings: dict[str, list[tuple]], forms: dict[str, str], *,
                vocab: int = 4, shards: int = 4, per: int = 2, big: tuple[str, ...] = (), api: str | None = None,
                aliases: dict[str, str] | None = None):
    """Write `folder`/search/: `records` are documents 0, 1, …; `postings` {stem: [(doc, weight, answer)]};
    `forms` {surface form: stem}, every form a typo candidate too; `aliases` {alias: tag}."""
    out = folder / "search"
    for name in ("v", "p", "f", "d"):
        for old in sorted((out / name).rglob("*.json")) if (out / name).exists() else []:
            old.unlink()
    by_vocab = [{} for _ in range(vocab)]
    for form, stem in forms.items():
        by_vocab[crc32(form) % vocab][form] = stem
    for n, shard in enumerate(by_vocab):
        _dump(out / f"v/{n}.json", shard)
    by_postings = [{} for _ in range(shards)]
    for stem, rows in postings.items():
        rows = sorted(rows)
        deltas = [doc - before for doc, before in zip([r[0] for r in rows], [0] + [r[0] for r in rows[:-1]])]
        entry = {stem: [deltas, [r[1] for r in rows], [r[2] for r in rows]]}
        if stem in big:
            _dump(out / f"p/big/{crc32(stem):08x}.json", entry)
        else:
            by_postings[crc32(stem) % shards].update(entry)
    for n, shard in enumerate(by_postings):
        _dump(out / f"p/{n}.json", shard)
    lengths: dict[int, dict] = {}
    for form, stem in forms.items():
        entry = lengths.setdefault(len(form), {"same": [], "stem": {}})
        if form == stem:
            entry["same"].append(form)
        else:
            entry["stem"][form] = stem
    for n, entry in lengths.items():
        _dump(out / f"f/{n}.json", entry)
    for n in range(0, len(records), per):
        _dump(out / f"d/{n // per}.json", records[n:n + per])
    _dump(out / "meta.json", {"format": 1, "docs": len(records), "postings": shards, "vocab": vocab,
                              "docs_per_shard": per, "stop": STOP, "big": list(big), "typo": {"one": 4, "two": 8},
                              "forms": sorted(lengths), "api": api, **({"aliases": aliases} if aliases else {})})


def record(id: str, kind: str, title: str, url: str, lead: str, *, state: str = "", topics=(), answers=(),
           answered_by: str = "", date: str = "2026-03-01T00:00:00+00:00") -> dict:
    data = {"id": id, "kind": kind, "title": title, "url": url, "state": state, "lead": lead,
            "topics": list(topics), "answers": [{"url": u} for u in answers], "date": date}
    if answered_by:
        data["answered_by"] = answered_by
    return data
