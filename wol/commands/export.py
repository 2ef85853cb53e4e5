"""`wol export HANDLE DEST`: everything wol holds and derives about one person, to take away.

DEST/<handle>/ receives the person's own files as they are in content/ (the
profile, every document and answer they wrote, drafts included, and their
votes file), `<handle>.json` with the same in structured form plus the
figures derived from them (usefulness received, accepted answers, earned
expertise, mentions, activity by month), and a README.md summing it up.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

from ..content.document import ANSWER, POST, QUESTION
from ..knowledge import Knowledge
from ..problems import WolError
from ..settings import Settings


def build_export(content, graph, handle: str, now: datetime | None = None) -> dict:
    """The person's data and derived figures as one JSON-ready dict. Pure."""
    person = content.people[handle]
    own = sorted((d for d in content.documents.values() if d.author == handle), key=lambda d: (d.date, d.id))
    accepted = {t.accepted for t in graph.threads.values() if t.accepted}
    documents = []
    for doc in own:
        published = graph.item(doc.id) is not None  # a document or a reply
        documents.append({
            "id": doc.id, "kind": doc.kind, "title": doc.title, "date": doc.date.isoformat(),
            "path": doc.path, "published": published, "url": graph.url_of(doc.id) if published else None,
            "topics": graph.topics_of.get(doc.id, []), "mentions": graph.mentions_of.get(doc.id, []),
            "useful": graph.useful.get(doc.id, 0), "accepted": doc.id in accepted,
        })
    votes = [{"target": v.target, "date": v.date.isoformat() if v.date else None,
              "counted": v.target in graph.votes_by.get(handle, [])}
             for v in content.votes if v.voter == handle]
    months = Counter(d.date.strftime("%Y-%m") for d in own if graph.item(d.id) is not None)
    months.update(v["date"][:7] for v in votes if v["date"])
    kinds = Counter(d["kind"] for d in documents if d["published"])
    return {
        "handle": handle,
        "exported": (now or datetime.now(timezone.utc)).isoformat(),
        "profile": {"name": person.name, "email": person.email, "title": person.title, "team": person.team,
                    "location": person.location, "expertise": person.expertise,
                    "left": person.left.isoformat() if person.left else None, "path": person.path},
        "documents": documents,
        "votes": votes,
        "mentioned_in": graph.mentioned_in.get(handle, []),
        "figures": {
            "posts": kinds[POST], "questions": kinds[QUESTION], "answers": kinds[ANSWER],
            "drafts_and_unpublished": sum(1 for d in documents if not d["published"]),
            "useful_votes_received": sum(d["useful"] for d in documents),
            "accepted_answers": sum(1 for d in documents if d["accepted"]),
            "votes_cast": len(votes),
            "votes_counted": sum(1 for v in votes if v["counted"]),
            "earned_expertise": [{"tag": t, "score": s} for t, s in graph.earned(handle)],
            "declared_expertise": person.expertise,
            "active_months": dict(sorted(months.items())),
        },
    }


def export_person(settings: Settings, handle: str, dest: str | Path) -> Path:
    """Write DEST/<handle>/ (Markdown files and <handle>.json); return that folder."""
    content, graph = Knowledge(settings).current()
    handle = handle.strip().lower().lstrip("@")
    if handle not in content.people:
        raise WolError(f"nobody has the handle `{handle}` (no {settings.content_dir}/people/{handle}.md)")
    out = Path(dest) / handle
    if out.exists() and any(out.iterdir()):
        raise WolError(f"{out} already exists and is not empty; choose another DEST")
    data = build_export(content, graph, handle)
    prefix = settings.content_dir + "/"
    paths = [data["profile"]["path"]] + [d["path"] for d in data["documents"]]
    paths += sorted({v.path for v in content.votes if v.voter == handle})
    out.mkdir(parents=True, exist_ok=True)
    for path in paths:
        rel = path[len(prefix):] if path.startswith(prefix) else path
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(settings.root / path, target)
    (out / f"{handle}.json").write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (out / "README.md").write_text(render_export_readme(data), encoding="utf-8")
    return out


def render_export_readme(data: dict) -> str:
    """A Markdown summary of the export, for a person to read."""
    f, p = data["figures"], data["profile"]
    lines = [f"# Everything wol holds about {p['name']} (@{data['handle']})", "",
             f"Exported {data['exported'][:10]}. Your files are here as they are in the repository; "
             f"`{data['handle']}.json` holds the same with everything derived from it.", "",
             "## Figures", "",
             f"- {f['posts']} posts, {f['questions']} questions, {f['answers']} answers published"
             f" ({f['drafts_and_unpublished']} drafts or unpublished)",
             f"- {f['useful_votes_received']} useful votes received; {f['accepted_answers']} answers accepted",
             f"- {f['votes_cast']} votes cast, {f['votes_counted']} counted",
             "- earned expertise: " + (", ".join(f"#{e['tag']} {e['score']}" for e in f["earned_expertise"]) or "none"),
             "- declared expertise: " + (", ".join(f"#{t}" for t in f["declared_expertise"]) or "none"),
             "", "## Documents", ""]
    lines += [f"- {d['date'][:10]} {d['kind']}: {d['title'] or d['id']} (`{d['path']}`, {d['useful']} useful)"
              for d in data["documents"]] or ["- none"]
    lines += ["", "## Votes", ""]
    lines += [f"- {v['date'] or 'undated'}: `{v['target']}`" + ("" if v["counted"] else " (not counted)")
              for v in data["votes"]] or ["- none"]
    lines += ["", "## Mentioned in", ""]
    lines += [f"- `{i}`" for i in data["mentioned_in"]] or ["- none"]
    return "\n".join(lines) + "\n"
