"""The JSON API under /api/: used by the editor's pages and the theme, open to integrations.

Responses are JSON; errors are `{"error": "…"}` with a fitting status (and,
for a refused document, `problems` and the person's `text`). Writes must be
`Content-Type: application/json` with the `X-CSRF-Token` from GET /api/session.
URLs in answers are absolute paths on this server (`/questions/why/`).
"""

from __future__ import annotations

import logging
import threading
import re
from functools import wraps
from urllib.parse import quote, urlsplit

from flask import Blueprint, current_app, jsonify, request

from ..content.document import reply_anchor
from ..content.parse import find_unrenderable, normalise_target
from ..content.spans import normalise_tag
from ..problems import Refused, WolError
from ..engines.renderpool import WORKERS, TooSlowToRender, render_within
from ..stage.html import link_spans, markdown_to_html
from ..stage.parts import link_files
from ..changes import (build_vote, build_accept, build_delete, build_edit, build_new_document, build_new_profile,
                      build_profile, build_new_reply, build_withdraw_reply, add_uploads, load_file_meta, text_version)
from .vocabulary import build_vocabulary, find_new_topics
from ..commit import Invalid

log = logging.getLogger("wol.serve")
_SURROGATE = re.compile("[\ud800-\udfff]")
blueprint = Blueprint("api", __name__, url_prefix="/api")
MAX_LIMIT = 50


def editor():
    return current_app.extensions["wol"]


def site_url(path: str) -> str:
    """A site-relative URL (`questions/x/`) as an absolute path on this server."""
    return f"{request.script_root}/{path.lstrip('/')}"


def error(message: str, status: int, **extra):
    response = jsonify({"error": message, **extra})
    response.status_code = status
    return response


@blueprint.errorhandler(Refused)
def refused(exc: Refused):
    extra = {"problems": [p.as_dict() for p in exc.problems]} if isinstance(exc, Invalid) else {}
    return error(str(exc), exc.status, **extra, **_written_text())


@blueprint.errorhandler(WolError)
def failed(exc: WolError):
    log.warning("write failed: %s", exc)
    return error(f"nothing was saved: {exc}", 500, **_written_text())


def _written_text() -> dict:
    """{text: the body the person sent}, so a form or an integration never loses what was written."""
    try:
        data = request.get_json(silent=True) if request.is_json else None
    except RecursionError:
        return {}
    if not (isinstance(data, dict) and isinstance(data.get("body"), str)):
        return {}
    return {"text": _SURROGATE.sub("\ufffd", data["body"])}  # half a surrogate pair is no character


@blueprint.errorhandler(413)
def too_large(exc):
    limit = current_app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024)
    return error(f"the request is too large ({limit} MB at most, files included)", 413)


def http_error(exc):
    """App-wide: under /api/, routing errors (404, 405) and crashes answer JSON too."""
    from werkzeug.exceptions import HTTPException, InternalServerError
    if not request.path.startswith(f"{blueprint.url_prefix}/"):
        if isinstance(exc, HTTPException):
            return exc
        log.exception("the editor failed")
        return InternalServerError()
    if isinstance(exc, HTTPException):
        if exc.code == 404:
            return error(f"no such API endpoint: {request.method} {request.path}", 404)
        if exc.code == 405:
            return error(f"{request.method} is not allowed on {request.path}", 405)
        return error(exc.description or exc.name, exc.code or 500)
    log.exception("the API failed")
    return failed(WolError(f"the server failed ({type(exc).__name__}); see its log"))


def json_body() -> dict:
    if not request.is_json:
        raise Refused("send JSON, with the header `Content-Type: application/json`", 415)
    try:
        data = request.get_json(silent=True)
    except RecursionError:
        raise Refused("the request body nests too deeply", 400) from None
    if not isinstance(data, dict):
        raise Refused("the request body must be a JSON object", 400)
    for field, value in data.items():
        if isinstance(value, str) and _SURROGATE.search(value):
            raise Refused(f"`{field}` holds half of a surrogate pair (\\u{ord(_SURROGATE.search(value).group()):04x}), "
                          f"which is no text: nothing was saved", 422)
    return data


def write(view):
    """A write: JSON, from a known principal, with a valid CSRF token (403 otherwise)."""
    @wraps(view)
    def guarded(*args, **kwargs):
        ed = editor()
        origin = request.headers.get("Origin")
        if origin and urlsplit(origin).netloc != request.host:
            raise Refused(f"a write from another site ({origin}) is refused", 403)
        data = json_body()
        principal = ed.who.principal(request.headers)
        if not ed.csrf.verify(principal, request.headers.get("X-CSRF-Token")):
            raise Refused("missing or wrong X-CSRF-Token header: take the `csrf` value of GET /api/session", 403)
        return view(data, *args, **kwargs)
    return guarded


def acting(graph) -> str:
    return editor().who.find(request.headers, graph)


def apply(step, author=None, ids=()):
    """Run a write for the acting person, then wait until the site shows it (on the pages of `ids`)."""
    ed = editor()
    headers = dict(request.headers)
    written = ed.writer.apply(lambda graph: ed.who.find(headers, graph), step, author=author)
    change = written.change
    ids = list(ids) + ([change.id] if change.id and not change.relpath.startswith("votes/") else [])
    version = ed.publish([str(ed.settings.content_path / rel) for rel in change.files], ids)
    return written, version


def warnings_of(written, before=None) -> list[dict]:
    """The check's warnings (an unknown @mention, …); with `before` (the graph before the save), topics new to it."""
    found = list(written.warnings)
    doc = written.checked.content.documents.get(written.change.id) if before is not None else None
    if doc is not None:
        found += find_new_topics(before, [normalise_tag(t) for t in doc.tags + doc.hashtags], doc.path)
    return [p.as_dict() for p in found]


def seeing(step):
    """(step, before): the step, remembering the graph it saw (the one before the change) in `before[0]`."""
    before = []

    def run(content, graph, actor):
        before[:] = [graph]
        return step(content, graph, actor)
    return run, before


def saved_url(written) -> str:
    """Where a saved document is seen: its page, or for a draft (on no page) its edit form."""
    doc = written.checked.content.documents.get(written.change.id)
    if doc is not None and doc.draft:
        return site_url(f"edit/{doc.id}")
    return site_url(_url(written.change.id))


# -- reading -----------------------------------------------------------------------------

@blueprint.get("/session")
def session():
    """Who is acting: {handle, name, votes, csrf}; 401/403 when nobody (the theme then shows how to vote with Git)."""
    ed = editor()
    graph = ed.graph()
    handle = acting(graph)
    person = graph.people[handle]
    votes = sorted(graph.votes_by.get(handle, []))
    response = jsonify({"handle": handle, "name": person.name, "votes": votes,
                        "csrf": ed.csrf.token(ed.who.principal(request.headers))})
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.get("/vocabulary")
def vocabulary():
    """What the editor completes: {people: [{handle, name}], topics: [{tag, aliases, count}]} (most used first)."""
    response = jsonify(build_vocabulary(editor().graph()))
    response.headers["Cache-Control"] = "no-cache"
    return response


@blueprint.get("/changes")
def changes():
    """For open pages: {version, reload} — whether the page (`page`, site-relative) changed since `since`."""
    ed = editor()
    if ed.live is None:
        return jsonify({"version": 0, "reload": False})
    since = request.args.get("since", type=int, default=0)
    answer = ed.live.changes_since(since, request.args.get("page"))
    response = jsonify(answer)
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.get("/documents/<path:doc_id>")
def document(doc_id):
    """One published document and what the acting person may do with it (for the page's editing bar)."""
    ed = editor()
    graph = ed.graph()
    doc = graph.documents.get(normalise_target(doc_id))
    if doc is None:
        return error(f"there is no published document `{doc_id}`", 404)
    try:
        handle = acting(graph)
    except Refused:
        handle = None
    data = {"id": doc.id, "kind": doc.kind, "title": doc.title, "url": site_url(graph.url_of(doc.id)),
            "author": doc.author, "useful": graph.useful.get(doc.id, 0), "you": handle,
            "can_edit": handle == doc.author, "edit_url": site_url(f"edit/{doc.id}")}
    data["reply_url"] = site_url(f"edit/reply/{doc.id}")
    data["replies"] = _replies_of(graph, doc.id, handle)
    thread = graph.threads.get(doc.id)
    if thread is not None:
        data["accepted"] = thread.accepted
        data["can_accept"] = handle == doc.author
        data["answer_url"] = site_url(f"edit/answer/{doc.id.removeprefix('questions/')}")
        data["answers"] = [{"id": a, "name": graph.documents[a].name, "author": graph.documents[a].author,
                            "can_edit": handle == graph.documents[a].author,
                            "edit_url": site_url(f"edit/{a}"), "reply_url": site_url(f"edit/reply/{a}"),
                            "replies": _replies_of(graph, a, handle)} for a in thread.answers]
    return jsonify(data)


KINDS = ("post", "question", "person", "topic")
STATES = ("unanswered", "answered", "solved")


@blueprint.get("/search")
def search():
    """Full-text search, as the site's search box asks it: [{id, kind, title, url, score, snippet, state,
    answer, topics, date, answered_by (solved questions)}], best first. `kind`, `state` and `topic` (repeatable: all of them) keep only
    the hits that have them; a topic may be named by an alias."""
    ed = editor()
    graph = ed.graph()
    kind, state = request.args.get("kind") or None, request.args.get("state") or None
    if kind is not None and kind not in KINDS:
        raise Refused(f"`kind` is one of {', '.join(KINDS)}, not {kind!r}", 422)
    if state is not None and state not in STATES:
        raise Refused(f"`state` is one of {', '.join(STATES)}, not {state!r}", 422)
    topics = list(dict.fromkeys(graph.canonical(normalise_tag(t.strip().lstrip("#")))
                                for t in request.args.getlist("topic") if t.strip().lstrip("#")))

    def run(graph, text, limit):
        first, rest = (topics[0], topics[1:]) if topics else (None, [])
        found = ed.search.search(graph, text, limit if not rest else 10 * MAX_LIMIT,
                                 kind=kind, state=state, topic=first)
        return [h for h in found if all(t in h.topics for t in rest)][:limit]

    return _hits(run, request.args.get("q", ""), graph=graph, extra=lambda hit: _answered_by(graph, hit))


def _answered_by(graph, hit) -> dict:
    """{answered_by: the accepted answer's author's name} for a solved question, as the static index has it."""
    thread = graph.threads.get(hit.id)
    accepted = graph.documents.get(thread.accepted) if thread is not None and thread.accepted else None
    if accepted is None:
        return {}
    person = graph.people.get(accepted.author)
    return {"answered_by": person.name if person and person.name else accepted.author}


@blueprint.get("/similar")
def similar():
    """Posts and questions like a title being typed: [{id, kind, title, url, score, snippet}], best first."""
    return _hits(editor().search.similar, request.args.get("title", ""), default_limit=5)


def _hits(run, text: str, default_limit: int = 10, graph=None, extra=lambda hit: {}):
    ed = editor()
    limit = max(1, min(request.args.get("limit", type=int, default=default_limit), MAX_LIMIT))
    if not text.strip():
        return jsonify([])
    hits = run(graph or ed.graph(), text[:500], limit)
    return jsonify([dict(h.as_dict(), **extra(h), url=site_url(h.url)) for h in hits])


_PREVIEWS = threading.BoundedSemaphore(WORKERS)  # previews rendering at once: the other threads stay free
PREVIEW_WAIT = 0.5  # seconds a preview waits for a free worker before it is answered 429


@blueprint.post("/preview")
@write
def preview(data):
    """Markdown → the HTML the site would show: hashtags and mentions as links, sanitised.

    It changes nothing, but takes the CSRF token as writes do (a render costs the server time). It renders
    in a worker process for at most RENDER_SECONDS: a text that takes longer is answered 422, naming it.
    """
    ed = editor()
    text = data.get("markdown")
    if not isinstance(text, str):
        raise Refused("send `markdown`: the text to preview", 422)
    name = data["document"] if isinstance(data.get("document"), str) else "the preview"
    stall = find_unrenderable(text, 1, name)
    if stall is not None:  # one person's preview must never hold a server thread for minutes
        raise Refused(stall.message, 422)
    graph = ed.graph()
    doc = graph.item(normalise_target(data["document"])) if isinstance(data.get("document"), str) else None
    if not _PREVIEWS.acquire(timeout=PREVIEW_WAIT):
        raise Refused("other previews are being rendered: the preview follows when you type again", 429)
    try:
        html = render_preview(ed.settings, graph, text, doc, bounded=True)
    except TooSlowToRender as exc:
        raise Refused(f"{name}: {exc}; nothing is lost, but it cannot be published as it is: simplify its "
                      f"markup (long runs of brackets, backticks or nested lists) or split it", 422) from None
    finally:
        _PREVIEWS.release()
    return jsonify({"html": html})


def render_preview(settings, graph, text: str, doc=None, bounded: bool = False) -> str:
    """The HTML the site would show; with `doc` (the document being edited), its files' links resolve.

    `bounded`: in a worker process, TooSlowToRender after RENDER_SECONDS.
    """
    root = f"{request.script_root}/"
    if doc is not None:
        text = link_files(graph, doc, text, lambda site_path: root + quote(site_path))
    linked = link_spans(text, lambda tag: f"{root}topics/{graph.canonical(tag)}/",
                        lambda handle: f"{root}people/{handle}/" if handle in graph.people else None)
    render = render_within if bounded else markdown_to_html
    return render(linked, settings.markdown_extensions, settings.mdx_configs)


# -- writing -----------------------------------------------------------------------------

@blueprint.post("/documents")
@write
def create_document(data):
    """A new post, question or answer: 201 {id, url, commit}."""
    ed = editor()
    step, before = seeing(lambda content, graph, actor:
                          add_uploads(ed.settings, build_new_document(ed.settings, graph, actor, data),
                                      data.get("files")))
    written, version = apply(step)
    change = written.change
    return jsonify({"id": change.id, "url": saved_url(written), "edit_url": site_url(f"edit/{change.id}"),
                    "commit": written.commit, "draft": bool(data.get("draft")),
                    "warnings": warnings_of(written, before[0]), "site_version": version}), 201


@blueprint.post("/replies")
@write
def create_reply(data):
    """A reply to `target` (a post, question or answer id): 201 {id, target, url, commit}."""
    ed = editor()
    def step(content, graph, actor):
        return add_uploads(ed.settings, build_new_reply(ed.settings, graph, actor, data), data.get("files"))

    written, version = apply(step)
    change = written.change
    return jsonify({"id": change.id, "target": change.extra["target"], "url": site_url(_url(change.id)),
                    "commit": written.commit, "warnings": warnings_of(written), "site_version": version}), 201


@blueprint.delete("/replies/<path:reply_id>")
@write
def withdraw_reply(data, reply_id):
    """The acting person's own reply, withdrawn: a commit that deletes it. {id, target, url, commit}."""
    ed = editor()
    written, version = apply(lambda content, graph, actor:
                             build_withdraw_reply(ed.settings, content, actor, reply_id))
    change = written.change
    return jsonify({"id": change.id, "target": change.extra["target"], "url": site_url(_url(change.extra["target"])),
                    "commit": written.commit, "site_version": version})


@blueprint.put("/documents/<path:doc_id>")
@write
def edit_document(data, doc_id):
    """The author's new title, tags and body (`base`, optional: the version the form started from)."""
    ed = editor()
    started = dict(data)

    def step(content, graph, actor):
        # Without a `base` from the form, the text seen by the first attempt is the base: a retry after
        # a conflict with origin then finds the document changed and refuses rather than overwrite.
        if not started.get("base"):
            found = content.documents.get(normalise_target(doc_id))
            if found is not None:
                current, _, _ = load_file_meta(ed.settings, found.path.removeprefix(ed.settings.content_dir + "/"))
                started["base"] = text_version(current)
        return add_uploads(ed.settings, build_edit(ed.settings, content, actor, doc_id, started), data.get("files"))

    step, before = seeing(step)
    written, version = apply(step)
    change = written.change
    draft = written.checked.content.documents[change.id].draft if change.id in written.checked.content.documents \
        else False
    return jsonify({"id": change.id, "url": saved_url(written), "edit_url": site_url(f"edit/{change.id}"),
                    "commit": written.commit, "draft": draft,
                    "base": text_version(change.files[change.relpath]), "warnings": warnings_of(written, before[0]),
                    "site_version": version})


@blueprint.delete("/documents/<path:doc_id>")
@write
def delete_document(data, doc_id):
    """The acting person's own post, question, answer or reply, deleted: one commit. {id, url, commit}."""
    ed = editor()
    step, before = seeing(lambda content, graph, actor: build_delete(ed.settings, content, graph, actor, doc_id))
    written, version = apply(step)
    doc_id = written.change.id
    question = doc_id.split("/answers/")[0] if "/answers/" in doc_id else None
    back = written.change.extra.get("target") or question
    return jsonify({"id": doc_id, "url": site_url(_url(back) if back else "edit/"), "commit": written.commit,
                    "site_version": version})


@blueprint.post("/questions/<slug>/accept")
@write
def accept(data, slug):
    """Accept `answer` (its name or id; null withdraws): only the question's author."""
    ed = editor()
    if "answer" not in data:
        raise Refused("say which answer to accept: {\"answer\": \"<name or id>\"}", 422)
    written, version = apply(lambda content, graph, actor:
                             build_accept(ed.settings, content, graph, actor, slug, data.get("answer")))
    change = written.change
    return jsonify({"question": change.id, "accepted": change.extra.get("accepted"),
                    "url": site_url(_url(change.id)), "commit": written.commit, "site_version": version})


@blueprint.post("/votes")
@write
def vote(data):
    return _vote(data, undo=False)


@blueprint.delete("/votes")
@write
def unvote(data):
    return _vote(data, undo=True)


def _vote(data, undo: bool):
    """The acting person's vote for `target`: {target, useful, voted}."""
    ed = editor()
    target = data.get("target")
    if not isinstance(target, str) or not target.strip():
        raise Refused("say which document: {\"target\": \"<document id>\"}", 422)
    target = normalise_target(target)

    written, version = apply(lambda content, graph, actor: build_vote(ed.settings, graph, actor, target, undo),
                             ids=[target])
    return jsonify({"target": target, "useful": ed.graph().useful.get(target, 0), "voted": not undo,
                    "commit": written.commit, "site_version": version})


@blueprint.put("/people/<handle>")
@write
def edit_profile(data, handle):
    """The acting person's own profile: name, title, team, location, expertise, body."""
    ed = editor()
    written, version = apply(lambda content, graph, actor:
                             build_profile(ed.settings, content, actor, handle.lower(), data))
    return jsonify({"id": written.change.id, "url": site_url(f"people/{handle.lower()}/"),
                    "commit": written.commit, "warnings": warnings_of(written), "site_version": version})


@blueprint.post("/people")
@write
def create_profile(data):
    """A first profile (201): on a laptop for the Git user, with their Git email; behind single sign-on for
    the signed-in handle, with the e-mail the proxy gives (or the one typed)."""
    from ..engines.gitrepo import Identity
    ed = editor()
    name = " ".join(str(data.get("name") or "").split())
    if ed.who.header:
        data = dict(data, handle=ed.who.handle_in(request.headers))
        email = ed.who.offered(request.headers)[1] or " ".join(str(data.get("email") or "").split())
        if not email or "@" not in email or " " in email:
            raise Refused("give your work e-mail address", 422)
    else:
        email = ed.who.git_email()

    def nobody_yet(graph) -> str:
        try:
            handle = acting(graph)
        except Refused:
            return ""
        raise Refused(f"you already have a profile: @{handle}", 409)

    written = ed.writer.apply(nobody_yet, lambda content, graph, actor: build_new_profile(ed.settings, content, email, data),
                              author=Identity(name or email, email))
    version = ed.publish([str(ed.settings.content_path / written.change.relpath)], [written.change.id])
    return jsonify({"id": written.change.id, "url": site_url(f"{written.change.id}/"),
                    "commit": written.commit, "site_version": version}), 201


def _url(doc_id: str) -> str:
    from ..derive.graph import url_of
    return url_of(doc_id)


def _replies_of(graph, target_id: str, handle) -> list[dict]:
    """The replies to a document, oldest first, with what the acting person may do with each."""
    return [{"id": r, "anchor": reply_anchor(r), "author": graph.replies[r].author,
             "can_edit": handle == graph.replies[r].author, "edit_url": site_url(f"edit/{r}")}
            for r in graph.replies_of.get(target_id, [])]
