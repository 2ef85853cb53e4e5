"""Scratch knowledge bases for tests: mkdocs.yml + content/ written inline, optionally in Git."""

from __future__ import annotations

import subprocess
import textwrap
from pathlib import Path

MKDOCS_YML = """\
site_name: Test Wiki
site_url: https://wiki.test.example/
theme:
  name: material
plugins:
  - search
markdown_extensions:
  - admonition
  - tables
  - attr_list
  - md_in_html
  - pymdownx.superfences
  - pymdownx.highlight
  - pymdownx.tasklist
wol:
  feed_length: 20
"""

PEOPLE = {
    "alice": ("Alice Martin", "platform"),
    "bob": ("Bob Okafor", "data"),
    "carol": ("Carol Diaz", "support"),
}


def person(name: str, team: str, handle: str, extra: str = "") -> str:
    return f"---\nname: {name}\nemail: {handle}@example.com\nteam: {team}\n{extra}---\n\nHello, I am {name}.\n"


def doc(title: str | None, author: str, date: str, body: str = "", extra: str = "") -> str:
    """A post, question or answer file (title None for an answer)."""
    head = f"title: {title}\n" if title is not None else ""
    return f"---\n{head}author: {author}\ndate: {date}\n{extra}---\n\n{textwrap.dedent(body).strip()}\n"


def git(root: Path, *args: str, env: dict | None = None) -> str:
    import os
    full_env = dict(os.environ, **(env or {}))
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True,
                          env=full_env).stdout


def write_kb(root: Path, files: dict[str, str], people: dict | None = None, use_git: bool = True,
             email: str = "alice@example.com") -> Path:
    """Write a knowledge base: mkdocs.yml, three people by default, and `files` (paths under content/)."""
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    (root / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    all_files = {f"people/{h}.md": person(n, t, h) for h, (n, t) in (people if people is not None else PEOPLE).items()}
    all_files.update(files)
    for rel, text in all_files.items():
        path = root / "content" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    if use_git:
        git(root, "init", "-q", "-b", "main")
        git(root, "config", "user.email", email)
        git(root, "config", "user.name", "Test User")
        git(root, "config", "commit.gpgsign", "false")
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "initial", "--no-verify")
    return root
