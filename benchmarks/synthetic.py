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


# -- an in-memory knowledge base for search benchmarks ------------------------------------

REAL_WORDS = (WORDS + ("parking badge office printer wifi password phishing email calendar meeting room "
                       "expense report payroll holiday vacation contract vendor purchase order approval "
                       "firewall account access permission server database migration upgrade outage "
                       "monitoring dashboard logging tracing kafka kubernetes docker container image registry "
                       "secret rotation encryption compliance audit training benefits insurance relocation "
                       "shipping warehouse inventory forecast quarterly planning hiring interview feedback "
                       "mentoring promotion salary bonus equipment monitor keyboard headset license renewal "
                       "subscription billing refund complaint escalation ticket priority weekend oncall").split())


def zipf_content(n: int, seed: int = 11, people: int = 200, vocabulary: int = 20_000):
    """A `wol.content.document.Content` of n documents (70% posts, 10% questions, 20% answers)
    for search benchmarks: bodies of 300–500 words, a fifth of them real English words (which
    the stemmer changes) and the rest drawn from a Zipf-distributed vocabulary of made-up
    words (rank k with weight 1/(k+1), as in real text once stop words are removed); titles of
    4–8 real words; 1–3 of 60 topics each (`kubernetes` has the alias `k8s`); every third question
    accepts its first answer; a few hundred usefulness votes."""
    import dataclasses
    from datetime import datetime, timedelta, timezone

    from wol.content.document import ANSWER, POST, QUESTION, Content, Document, Person, TopicFile, Vote

    def made_up(k: int) -> str:
        letters, vowels, out = "bcdfghjklmnprstvz", "aeiou", ""
        k += 1
        while k:
            k, r = divmod(k, len(letters) * len(vowels))
            out += letters[r % len(letters)] + vowels[r // len(letters)]
        return out + "x"

    rng = random.Random(seed)
    vocab = [made_up(k) for k in range(100, 100 + vocabulary)]
    weights = [1 / (k + 1) for k in range(100, 100 + vocabulary)]
    content = Content()
    handles = [f"user{i}" for i in range(people)]
    for h in handles:
        content.add(Person(handle=h, path=f"content/people/{h}.md", name=f"User {h[4:]}", email=f"{h}@example.com"))
    content.add(TopicFile(tag="kubernetes", path="content/topics/kubernetes.md", title="Kubernetes", aliases=["k8s"]))
    start = datetime(2024, 1, 1, tzinfo=timezone.utc)
    questions: list[str] = []
    tags = ["kafka", "kubernetes", "vpn", "python"] + [f"topic{i}" for i in range(56)]
    for i in range(n):
        kind = POST if i % 10 < 7 else QUESTION if i % 10 == 7 or not questions else ANSWER
        count = rng.randint(300, 500)
        real = rng.choices(REAL_WORDS, k=count // 5)
        words = rng.choices(vocab, weights=weights, k=count - len(real)) + real
        rng.shuffle(words)
        when = start + timedelta(hours=i)
        doc_id = (f"posts/p{i}" if kind == POST else f"questions/q{i}" if kind == QUESTION
                  else f"{rng.choice(questions)}/answers/a{i}")
        if kind == QUESTION:
            questions.append(doc_id)
        title = "" if kind == ANSWER else " ".join(rng.sample(REAL_WORDS, rng.randint(4, 8))).capitalize()
        content.add(Document(id=doc_id, kind=kind, path=f"content/{doc_id}.md", title=title,
                             author=rng.choice(handles), date=when, body=" ".join(words), body_line=5,
                             tags=rng.sample(tags, rng.randint(1, 3))))
    answered = {}
    for doc_id in content.documents:
        if "/answers/" in doc_id:
            answered.setdefault(doc_id.split("/answers/")[0], doc_id)
    for k, (q, a) in enumerate(sorted(answered.items())):
        if k % 3 == 0:
            content.documents[q] = dataclasses.replace(content.documents[q], accepted=a.rsplit("/", 1)[1])
    ids = sorted(content.documents)
    content.add([Vote(voter=rng.choice(handles), target=rng.choice(ids), path="content/votes/x.txt", line=1)
                 for _ in range(n // 10)])
    return content


ZIPF_MKDOCS_YML = """\
site_name: Synthetic
theme:
  name: material
  language: en
markdown_extensions:
  - admonition
  - tables
  - pymdownx.superfences
wol:
  language: en
"""


def write_content(root: Path, content, mkdocs_yml: str = ZIPF_MKDOCS_YML) -> Path:
    """Write an in-memory `Content` (e.g. `zipf_content(n)`) as a knowledge repository on disk:
    mkdocs.yml and content/ (people, topic files, documents with their front matter, votes)."""
    import json as _json
    from collections import defaultdict

    root = Path(root)
    (root / "content").mkdir(parents=True, exist_ok=True)
    (root / "mkdocs.yml").write_text(mkdocs_yml)

    def write(relpath: str, text: str) -> None:
        path = root / "content" / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    for p in content.people.values():
        write(f"people/{p.handle}.md", f"---\nname: {p.name}\nemail: {p.email}\n---\n\nHello.\n")
    for t in content.topic_files.values():
        write(f"topics/{t.tag}.md", f"---\ntitle: {t.title}\naliases: {_json.dumps(t.aliases)}\n---\n\nAbout {t.tag}.\n")
    for d in content.documents.values():
        head = [f"author: {d.author}", f"date: {d.date.isoformat()}"]
        if d.kind != "answer":
            head.append(f"tags: {_json.dumps(d.tags)}")
        if d.title:
            head.insert(0, f"title: {_json.dumps(d.title)}")
        if d.accepted:
            head.append(f"accepted: {d.accepted}")
        relpath = (f"{d.id}/index.md" if d.kind == "question" else f"{d.id}.md")
        write(relpath, "---\n" + "\n".join(head) + "\n---\n\n" + d.body + "\n")
    votes = defaultdict(list)
    for v in content.votes:
        votes[v.voter].append(v.target)
    for voter, targets in votes.items():
        write(f"votes/{voter}.txt", "".join(f"{t}\n" for t in targets))
    return root
