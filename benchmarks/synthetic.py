"""Synthetic knowledge bases for benchmarks: N documents of 300–500 words, with tags and mentions."""

from __future__ import annotations

import random
from pathlib import Path

WORDS = ("deploy cluster queue latency token budget review incident customer release pipeline "
         "schema metric alert rollback partition consumer cache proxy certificate laptop travel "
         "invoice policy onboarding sprint backlog roadmap design test coverage network storage "
         "backup restore index search answer question useful team platform data support").split()
TAGS = [f"topic{i}" for i in range(60)] + ["kafka", "kubernetes", "vpn", "python", "café"]
MKDOCS_YML = """\
site_name: Synthetic
theme:
  name: material
plugins:
  - search
markdown_extensions:
  - admonition
  - tables
  - pymdownx.superfences
"""


def body(rng: random.Random, handles: list[str]) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(300, 500))]
    for _ in range(rng.randint(1, 4)):
        words.insert(rng.randrange(len(words)), "#" + rng.choice(TAGS))
    for _ in range(rng.randint(0, 2)):
        words.insert(rng.randrange(len(words)), "@" + rng.choice(handles))
    lines = [" ".join(words[i:i + 14]) for i in range(0, len(words), 14)]
    paragraphs = ["\n".join(lines[i:i + 5]) for i in range(0, len(lines), 5)]
    return "\n\n".join(paragraphs) + "\n\n```\n# not a #tag\n```\n"


def synthetic_files(n: int, seed: int = 7, people: int = 200):
    """(path under content/, text) of n documents, their authors' profiles, topic files and votes."""
    rng = random.Random(seed)
    handles = [f"user{i}" for i in range(people)]
    for i, h in enumerate(handles):
        yield f"people/{h}.md", f"---\nname: User {i}\nemail: {h}@example.com\nteam: team{i % 8}\n---\n\nHello.\n"
    for tag in TAGS[:10]:
        yield f"topics/{tag}.md", f"---\ntitle: Topic {tag}\nfacilitators: [{rng.choice(handles)}]\n---\n\nAbout {tag}.\n"
    questions, targets = [], []
    for i in range(n):
        author = rng.choice(handles)
        date = f"20{24 + i % 3}-{1 + i % 12:02d}-{1 + i % 28:02d}"
        kind = rng.random()
        if kind < 0.1 or (kind < 0.3 and not questions):
            slug = f"q{i}"
            path = f"questions/{slug}/index.md"
            head = f"title: Question {i} about {rng.choice(WORDS)}\nauthor: {author}\ndate: {date}\n"
            questions.append((slug, date))
            targets.append(f"questions/{slug}")
        elif kind < 0.3:
            slug, qdate = rng.choice(questions)
            path = f"questions/{slug}/answers/a{i}.md"
            head = f"author: {author}\ndate: {qdate}T12:00:00Z\n"
            targets.append(f"questions/{slug}/answers/a{i}")
        else:
            path = f"posts/{2024 + i % 3}/post-{i}.md"
            head = f"title: Post {i} on {rng.choice(WORDS)}\nauthor: {author}\ndate: {date}\n"
            targets.append(path[:-3])
        yield path, f"---\n{head}---\n\n{body(rng, handles)}"
    for h in handles:
        picks = rng.sample(targets, min(len(targets), rng.randint(0, 15)))
        yield f"votes/{h}.txt", "".join(f"{t}\n" for t in picks)


def write_synthetic(root: Path, n: int, seed: int = 7, people: int = 200) -> Path:
    """Write mkdocs.yml and content/ with n documents (70% posts, 20% answers, 10% questions) and votes."""
    root = Path(root)
    (root / "content").mkdir(parents=True, exist_ok=True)
    (root / "mkdocs.yml").write_text(MKDOCS_YML)
    for relpath, text in synthetic_files(n, seed, people):
        path = root / "content" / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root
