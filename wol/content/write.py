"""New files for content/: slugs, safe paths and front matter (pure but for `unique_path`)."""

from __future__ import annotations

from pathlib import Path

import yaml
from slugify import slugify as make_slug

from ..problems import WolError


def slugify(title: str, max_length: int = 60) -> str:
    """`Why does Kafka lag?` → `why-does-kafka-lag`, `Как сбросить токен VPN?` → `kak-sbrosit-token-vpn`.

    ASCII (transliterated by python-slugify), cut at a word, never empty.
    """
    return make_slug(title, max_length=max_length, word_boundary=True) or "untitled"


def inside(base: Path, relpath: str) -> Path:
    """base/relpath, refusing any path that would leave base."""
    base = Path(base).resolve()
    target = (base / relpath).resolve()
    if target != base and base not in target.parents:
        raise WolError(f"the path `{relpath}` leaves {base.name}/")
    return target


def unique_path(folder: Path, slug: str, suffix: str = ".md", as_folder: bool = False) -> Path:
    """folder/slug.md (or folder/slug/ for questions), adding -2, -3… so nothing is overwritten."""
    n = 1
    while True:
        name = slug if n == 1 else f"{slug}-{n}"
        candidate = folder / name if as_folder else folder / f"{name}{suffix}"
        if not candidate.exists():
            return candidate
        n += 1


class _FrontMatterDumper(yaml.SafeDumper):
    """One `field: value` line each; lists stay on their line (`tags: [kafka, ops]`)."""


_FrontMatterDumper.add_representer(
    list, lambda dumper, data: dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True))


def render_front_matter(meta: dict, body: str) -> str:
    """A Markdown file: `---`, the fields as YAML, `---`, then the body."""
    front = yaml.dump(meta, Dumper=_FrontMatterDumper, sort_keys=False, allow_unicode=True,
                      default_flow_style=False, width=1000)
    body = body if body.endswith("\n") or not body else body + "\n"
    return f"---\n{front}---\n\n{body}"
