"""`wol new`: a valid file from a template for the Git user, never overwriting one."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from ..derive.graph import Graph
from ..problems import WolError
from ..settings import Settings
from ..content.write import render_front_matter, slugify, unique_path

KINDS = ("post", "question", "answer", "profile")

BODIES = {
    "post": "Write what you learned, did or decided, so others can find it.\n"
            "Tag topics with hashtags such as `#kafka` and mention people with their handle, such as `@alice`.\n",
    "question": "Describe what you are trying to do, what you tried, and what happened.\n"
                "Add a hashtag for the topic, such as `#vpn`, so the right people see it.\n",
    "answer": "Answer the question. Say how you know, and link to what helps.\n",
    "profile": "A few sentences about what you work on and what people can ask you about.\n",
}


def now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def new_file(settings: Settings, graph: Graph, kind: str, author: str, title: str = "",
             question: str = "", name: str = "", email: str = "") -> Path:
    """Write the template for kind and return its path."""
    content = settings.content_path
    stamp = now()
    if kind == "post":
        path = unique_path(content / "posts" / str(stamp.year), slugify(title))
        meta = {"title": title, "author": author, "date": stamp.isoformat(), "tags": []}
    elif kind == "question":
        folder = unique_path(content / "questions", slugify(title), as_folder=True)
        path = folder / "index.md"
        meta = {"title": title, "author": author, "date": stamp.isoformat(), "tags": []}
    elif kind == "answer":
        slug = question.strip().strip("/").removeprefix("questions/")
        if f"questions/{slug}" not in graph.documents:
            raise WolError(f"there is no published question `questions/{slug}` "
                           f"(see `wol search` or the site's Questions page for its id)")
        path = unique_path(content / "questions" / slug / "answers", author)
        meta = {"author": author, "date": stamp.isoformat()}
    elif kind == "profile":
        path = content / "people" / f"{author}.md"
        if path.exists():
            raise WolError(f"{path.relative_to(settings.root)} already exists: edit it instead")
        meta = {"name": name or author, "email": email, "title": "", "team": "", "expertise": []}
    else:
        raise WolError(f"unknown kind `{kind}`: choose one of {', '.join(KINDS)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8") as f:  # "x": never overwrite
        f.write(render_front_matter(meta, BODIES[kind]))
    return path
