"""The editor's pages under /edit/: small server-rendered forms that send JSON to the API.

Write a post, ask a question (similar questions offered as the title is
typed; `?ask=<handle>` asks someone by name), answer, reply to a post,
question or answer (and edit or withdraw one's own reply), edit, unpublish or
delete one's own document (and accept an answer to one's own question), mark
a document useful (`/edit/vote`), and edit one's profile — or create it at a
first sign-in, then go on where one was going. Every form has a live preview
rendered by /api/preview, exactly as the site renders. The pages carry the
CSRF token the API asks for; none writes on a GET. URLs: docs/editor.md.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, render_template, request

from ..problems import Refused
from ..content.document import ANSWER, QUESTION, REPLY
from ..content.parse import normalise_target
from ..changes import load_file_meta, parse_question_slug, text_version
from .identity import NoProfile

blueprint = Blueprint("pages", __name__, url_prefix="/edit", template_folder="templates")


def editor():
    return current_app.extensions["wol"]


def page(template: str, status: int = 200, **values):
    ed = editor()
    values.setdefault("site_name", ed.settings.site_name)
    values.setdefault("root", f"{request.script_root}/")
    values.setdefault("stays_here", ed.writer.sync is False)  # wol serve without --push
    return render_template(template, **values), status


def who():
    """(handle, person, csrf token, graph); Refused when nobody can act."""
    ed = editor()
    graph = ed.graph()
    handle = ed.who.find(request.headers, graph)
    return handle, graph.people[handle], ed.csrf.token(ed.who.principal(request.headers)), graph


@blueprint.errorhandler(Refused)
def refused(exc: Refused):
    ed = editor()
    if isinstance(exc, NoProfile):  # a first sign-in: create the profile here, then go on to this very page
        name, email = ed.who.offered(request.headers)
        going = request.script_root + request.full_path.rstrip("?") if request.path.rstrip("/") != "/edit" else ""
        email = email if ed.who.header else ed.who.git_email()  # never the server's own Git user behind SSO
        return page("profile.html", person=None, handle=exc.handle, email=email, status=200,
                    csrf=ed.csrf.token(ed.who.principal(request.headers)), create=True, body="", name=name,
                    sso=bool(ed.who.header), next=going)
    return page("problem.html", status=exc.status, message=str(exc))


def safe_next(value: str | None) -> str:
    """`next` if it stays on this wiki (a path here, or the configured `site_url`/`wol.editor_url`), else ''.

    Never an open redirect: `//evil.example/`, `https://evil.example/` and `javascript:` are refused."""
    value = (value or "").strip()
    if not value or "\\" in value or any(ord(c) < 32 for c in value):
        return ""
    parts = urlsplit(value)
    if not parts.scheme and not parts.netloc:
        return value if value.startswith("/") and not value.startswith("//") else ""
    settings = editor().settings
    trusted = {urlsplit(url)[:2] for url in (settings.site_url, getattr(settings, "editor_url", "")) if url}
    return value if parts.scheme in ("http", "https") and parts[:2] in trusted else ""


@blueprint.get("/")
def home():
    handle, person, csrf, graph = who()
    mine = [graph.documents[i] for i in graph.by_author.get(handle, [])][:50]
    drafts = sorted((d for d in editor().content().documents.values() if d.author == handle and d.draft),
                    key=lambda d: d.date, reverse=True)
    return page("home.html", person=person, handle=handle, csrf=csrf, mine=mine, graph=graph, drafts=drafts)


@blueprint.get("/post")
def new_post():
    handle, person, csrf, graph = who()
    return page("form.html", person=person, csrf=csrf, kind="post", heading="Write a post", doc=None,
                title=request.args.get("title", ""), tags=request.args.get("tags", ""), body="")


@blueprint.get("/question")
def new_question():
    """Ask: `title` and `tags` prefill the form; `ask=<handle>` mentions that person in the text."""
    handle, person, csrf, graph = who()
    heading, body = "Ask a question", ""
    asked = graph.people.get(request.args.get("ask", "").strip().lower().lstrip("@"))
    if asked is not None:
        heading, body = f"Ask {asked.name or asked.handle}", f"@{asked.handle} "
    return page("form.html", person=person, csrf=csrf, kind="question", heading=heading, doc=None,
                title=request.args.get("title", ""), tags=request.args.get("tags", ""), body=body)


@blueprint.get("/vote")
def vote():
    """Mark a document useful (or withdraw it) with a button: a POST with the CSRF token, then back to `next`."""
    from ..stage.parts import title_of
    handle, person, csrf, graph = who()
    target = normalise_target(request.args.get("target", ""))
    doc = graph.documents.get(target)
    if doc is None:
        raise Refused(f"there is no published document `{target}` to mark as useful", 404)
    author = graph.people.get(doc.author)
    doc_url = f"{request.script_root}/{graph.url_of(doc.id)}"
    return page("vote.html", person=person, csrf=csrf, heading="Mark as useful", doc=doc,
                target_title=title_of(graph, doc.id), author=author.name if author else doc.author,
                useful=graph.useful.get(doc.id, 0), voted=doc.id in graph.votes_by.get(handle, []),
                own=doc.author == handle, doc_url=doc_url, next=safe_next(request.args.get("next")) or doc_url)


@blueprint.get("/answer/<slug>")
def new_answer(slug):
    handle, person, csrf, graph = who()
    question_id = f"questions/{parse_question_slug(slug)}"
    question = graph.documents.get(question_id)
    if question is None or question.kind != QUESTION:
        raise Refused(f"there is no published question `{question_id}`", 404)
    from .api import render_preview
    return page("form.html", person=person, csrf=csrf, kind="answer", heading=f"Answer: {question.title}",
                doc=None, question=question, question_html=render_preview(editor().settings, graph, question.body, question),
                question_url=f"{request.script_root}/{graph.url_of(question_id)}", title="", tags="", body="")


@blueprint.get("/reply/<path:target_id>")
def new_reply(target_id):
    handle, person, csrf, graph = who()
    target = graph.documents.get(normalise_target(target_id))
    if target is None:
        raise Refused(f"there is no published post, question or answer `{target_id}`", 404)
    return page("form.html", person=person, csrf=csrf, kind=REPLY, doc=None, title="", tags="", body="",
                **_reply_context(graph, target.id, "Reply to"))


def _reply_context(graph, target_id: str, verb: str) -> dict:
    """What a reply's form shows of what it answers: its title, text and link."""
    from .api import render_preview
    from ..stage.parts import title_of
    target = graph.documents[target_id]
    return {"heading": f"{verb}: {title_of(graph, target_id)}", "target": target,
            "target_title": title_of(graph, target_id),
            "target_html": render_preview(editor().settings, graph, target.body, target),
            "target_url": f"{request.script_root}/{graph.url_of(target_id)}"}


@blueprint.get("/profile")
def profile():
    ed = editor()
    handle, person, csrf, graph = who()
    _, meta, body = load_file_meta(ed.settings, f"people/{handle}.md")
    return page("profile.html", person=person, handle=handle, csrf=csrf, create=False, body=body.strip("\n"),
                expertise=", ".join(person.expertise), email=person.email)


@blueprint.get("/<path:doc_id>")
def edit(doc_id):
    ed = editor()
    handle, person, csrf, graph = who()
    doc = ed.content().documents.get(normalise_target(doc_id))
    if doc is None:
        raise Refused(f"there is no document `{doc_id}`", 404)
    if doc.author != handle:
        raise Refused(f"only its author (@{doc.author}) may edit `{doc.id}`", 403)
    text, meta, body = load_file_meta(ed.settings, doc.path.removeprefix(ed.settings.content_dir + "/"))
    if doc.kind == REPLY and doc.target_id in graph.documents:
        return page("form.html", person=person, csrf=csrf, kind=REPLY, doc=doc, base=text_version(text),
                    title="", tags="", body=body.strip("\n"),
                    **_reply_context(graph, doc.target_id, "Edit your reply to"),
                    doc_url=f"{request.script_root}/{graph.url_of(doc.id)}" if doc.id in graph.replies else "")
    thread = graph.threads.get(doc.id)
    answers = [graph.documents[a] for a in thread.answers] if thread else []
    question = graph.documents.get(doc.question_id) if doc.kind == ANSWER else None
    return page("form.html", person=person, csrf=csrf, kind=doc.kind, doc=doc, base=text_version(text),
                heading=f"Edit{' draft' if doc.draft else ''}: {doc.title or (question.title if question else doc.id)}",
                title=doc.title, tags=", ".join(doc.tags), body=body.strip("\n"), answers=answers,
                accepted=thread.accepted if thread else None, question=question,
                doc_url=f"{request.script_root}/{graph.url_of(doc.id)}" if doc.id in graph.documents else "")
