"""`wol new`: a valid file from a template for the Git user, never overwriting one (checked, not committed)."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path

from ..commit import Change, apply_change, git_person, one_file, require_git_user
from ..content.document import is_reply_id, replies_folder
from ..content.parse import normalise_target
from ..content.write import inside, render_front_matter, slugify, unique_path
from ..derive.graph import Graph
from ..knowledge import Knowledge
from ..problems import WolError
from ..settings import Settings

KINDS = ("post", "question", "answer", "reply", "profile")

BODIES = {
    "post": "Write what you learned, did or decided, so others can find it.\n"
            "Tag topics with hashtags such as `#kafka` and mention people with their handle, such as `@alice`.\n",
    "question": "Describe what you are trying to do, what you tried, and what happened.\n"
                "Add a hashtag for the topic, such as `#vpn`, so the right people see it.\n",
    "answer": "Answer the question. Say how you know, and link to what helps.\n",
    "reply": "A follow-up, a thank-you or a correction, in a few lines. Mention whom you answer, such as `@alice`.\n",
    "profile": "A few sentences about what you work on and what people can ask you about.\n",
}


def now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def new_file(settings: Settings, kind: str, title: str = "", question: str = "", ask_title=None) -> Path:
    """Write the template for kind, for the Git user, through the commit road's check (not committed).

    `ask_title()` is called for a post or question without a title, once the Git user is known.
    """
    knowledge = Knowledge(settings)
    content, graph = knowledge.current()
    if kind == "profile":
        change = _profile(settings, require_git_user(settings))
    else:
        author = git_person(settings, graph)
        if kind in ("post", "question") and not title and ask_title is not None:
            title = ask_title()
        change = _document(settings, graph, kind, author, title, question)
    apply_change(settings, content, graph, change, author=None, commit=False)
    return settings.content_path / change.relpath


def _document(settings: Settings, graph: Graph, kind: str, author: str, title: str, question: str) -> Change:
    content = settings.content_path
    stamp = now()
    if kind == "post":
        path = unique_path(content / "posts" / str(stamp.year), slugify(title))
        meta = {"title": title, "author": author, "date": stamp.isoformat(), "tags": []}
    elif kind == "question":
        path = unique_path(content / "questions", slugify(title), as_folder=True) / "index.md"
        meta = {"title": title, "author": author, "date": stamp.isoformat(), "tags": []}
    elif kind == "answer":
        slug = question.strip().strip("/").removeprefix("questions/")
        if f"questions/{slug}" not in graph.documents:
            raise WolError(f"there is no published question `questions/{slug}` "
                           f"(see `wol search` or the site's Questions page for its id)")
        path = unique_path(inside(content, f"questions/{slug}/answers"), author)
        meta = {"author": author, "date": stamp.isoformat()}
    elif kind == "reply":
        target = normalise_target(question)
        if target not in graph.documents or is_reply_id(target):
            raise WolError(f"there is no published post, question or answer `{target}` to reply to "
                           f"(its id is in its URL: posts/2026/slug, questions/slug, questions/slug/answers/name)")
        path = unique_path(inside(content, replies_folder(target)), f"{stamp.date().isoformat()}-{author}")
        meta = {"author": author, "date": stamp.isoformat()}
    else:
        raise WolError(f"unknown kind `{kind}`: choose one of {', '.join(KINDS)}")
    relpath = path.relative_to(content.resolve() if path.is_relative_to(content.resolve()) else content).as_posix()
    return one_file(relpath, render_front_matter(meta, BODIES[kind]), f"New {kind}", create=True)


def _profile(settings: Settings, user) -> Change:
    handle = re.sub(r"[^a-z0-9._-]", "", user.email.split("@")[0].lower()).strip("._-") or "me"
    relpath = f"people/{handle}.md"
    if (settings.content_path / relpath).exists():
        raise WolError(f"{settings.content_dir}/{relpath} already exists: edit it instead")
    meta = {"name": user.name or handle, "email": user.email, "title": "", "team": "", "expertise": []}
    return one_file(relpath, render_front_matter(meta, BODIES["profile"]), f"Profile of @{handle}", create=True)
