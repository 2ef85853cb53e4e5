"""What a person asks to change → a `Change`: the new text of a file under content/ and its commit message.

Each `build_*` function reads the current Content and Graph, checks that the
acting person may make the change, and returns a Change. The web editor and
the CLI (`wol vote`) build their changes here; `wol/commit.py` checks, writes
and commits them. Nothing here writes to disk or Git.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import posixpath
import re
from datetime import date, datetime, timezone

import yaml

from .commit import Change, one_file
from .content.attachments import HEAD_BYTES, files_folder, format_size, sniff
from .content.filetypes import TYPES, suffix_of
from .content.forgotten import hash_handle
from .content.document import ANSWER, POST, QUESTION, REPLY, Content, Vote, is_reply_id, replies_folder
from .content.parse import normalise_target, split_front_matter
from .content.spans import is_valid_handle, is_valid_tag, normalise_tag
from .content.votes import add_vote, remove_vote
from .content.write import inside, render_front_matter, slugify, unique_path
from .derive.graph import Graph, judge_vote
from .problems import Refused, WolError
from .settings import Settings

MAX_TITLE = 200
PROFILE_FIELDS = ("name", "title", "team", "location")


def text_version(text: str) -> str:
    """A short fingerprint of a file's text, so an edit form can tell when the file changed under it."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


_TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:")


def update_front_matter(text: str, changes: dict, body: str) -> str:
    """The file with the given front-matter fields set (None removes one) and the new body.

    Lines of the fields not changed stay exactly as written, so the commit's
    diff shows only what the person changed. Front matter this cannot edit
    line by line (unusual YAML) is written anew.
    """
    front, _, _ = split_front_matter(text)
    meta = yaml.safe_load(front or "") or {}
    wanted = dict(meta)
    for key, value in changes.items():
        if value is None:
            wanted.pop(key, None)
        else:
            wanted[key] = value
    lines = (front or "").splitlines()
    spans, current = {}, None
    for i, line in enumerate(lines):
        found = _TOP_KEY.match(line)
        if found:
            current = found.group(1)
            spans[current] = [i, i + 1]
        elif current is not None and (line[:1] in (" ", "\t", "-") or not line.strip()):
            spans[current][1] = i + 1
        else:
            current = None
    edits = []
    for key, value in changes.items():
        new_lines = [] if value is None else render_front_matter({key: value}, "").split("\n")[1:-3]
        if key in spans:
            edits.append((spans[key][0], spans[key][1], new_lines))
        elif new_lines:
            edits.append((len(lines), len(lines), new_lines))
    for start, end, new_lines in sorted(edits, key=lambda e: e[0], reverse=True):
        lines[start:end] = new_lines
    edited = "\n".join(lines) + "\n"
    try:
        same = yaml.safe_load(edited) == wanted
    except yaml.YAMLError:
        same = False
    if not same:
        return render_front_matter(wanted, body)
    return f"---\n{edited}---\n\n{body}" if body else f"---\n{edited}---\n"


def now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


# -- field readers: request JSON → clean values, or Refused(422) naming the field -----

def parse_title(value, required: bool = True) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise Refused("give a title", 422)
        return ""
    if not isinstance(value, str):
        raise Refused("`title` must be text", 422)
    title = " ".join(value.split())
    if len(title) > MAX_TITLE:
        raise Refused(f"the title is {len(title)} characters long; keep it under {MAX_TITLE}", 422)
    return title


def parse_body(value, required: bool = True) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise Refused("`body` must be Markdown text", 422)
    body = value.replace("\r\n", "\n").strip("\n")
    if required and not body.strip():
        raise Refused("write something in the body", 422)
    return body + "\n" if body else ""


def parse_tags(value) -> list[str]:
    """Tags as a list or a comma/space separated string; `#` is optional."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        value = re.split(r"[,\s]+", value)
    if not isinstance(value, list):
        raise Refused("`tags` must be a list of tags, such as [\"kafka\", \"ops\"]", 422)
    tags = []
    for raw in value:
        text = str(raw).strip().lstrip("#") if isinstance(raw, (str, int)) else ""
        if not text:
            continue
        if not is_valid_tag(text):
            raise Refused(f"`{raw}` is not a tag: start with a letter, then letters, digits, `_` or `-`", 422)
        tags.append(normalise_tag(text))
    return list(dict.fromkeys(tags))


def parse_question_slug(value) -> str:
    """`how-to-x`, `questions/how-to-x` or `/questions/how-to-x/` → `how-to-x`; never a path that escapes."""
    if not isinstance(value, str) or not value.strip():
        raise Refused("say which question this answers (`question`: its slug)", 422)
    slug = normalise_target(value).removeprefix("questions/")
    if not slug or "/" in slug or "\\" in slug or slug in (".", "..") or slug.startswith("."):
        raise Refused(f"`{value}` is not a question's slug", 404)
    return slug


def _content_rel(settings: Settings, path) -> str:
    return path.relative_to(settings.content_path.resolve()).as_posix()


def _check_inside(settings: Settings, relpath: str):
    try:
        return inside(settings.content_path, relpath)
    except WolError as exc:
        raise Refused(str(exc), 400) from None


# -- documents ------------------------------------------------------------------

def build_new_document(settings: Settings, graph: Graph, author: str, data: dict) -> Change:
    """A new post, question or answer by author, at a path no other document has."""
    kind = data.get("kind")
    if kind not in (POST, QUESTION, ANSWER):
        raise Refused("`kind` must be post, question or answer", 422)
    stamp = now().isoformat()
    content = settings.content_path.resolve()
    if kind == ANSWER:
        slug = parse_question_slug(data.get("question"))
        question_id = f"questions/{slug}"
        question = graph.documents.get(question_id)
        if question is None or question.kind != QUESTION:
            raise Refused(f"there is no published question `{question_id}`", 404)
        body = parse_body(data.get("body"))
        folder = _check_inside(settings, f"questions/{slug}/answers")
        path = unique_path(folder, author)
        meta = {"author": author, "date": stamp}
        message = f"Answer to {question_id}: {question.title}"
    else:
        title = parse_title(data.get("title"))
        body = parse_body(data.get("body"), required=kind == POST)
        tags = parse_tags(data.get("tags"))
        if kind == POST:
            path = unique_path(_check_inside(settings, f"posts/{stamp[:4]}"), slugify(title))
            message = f"Post: {title}"
        else:
            path = unique_path(content / "questions", slugify(title), as_folder=True) / "index.md"
            message = f"Question: {title}"
        meta = {"title": title, "author": author, "date": stamp}
        if tags:
            meta["tags"] = tags
    if parse_draft(data.get("draft")):
        meta["draft"] = True
        message = f"Draft: {message}"
    relpath = _content_rel(settings, path)
    doc_id = relpath.removesuffix(".md").removesuffix("/index")
    return one_file(relpath, render_front_matter(meta, body), message, doc_id, create=True)


def find_own_document(content: Content, actor: str, doc_id: str, what: str = "edit"):
    """The document with this id, if actor wrote it; Refused 404/403 otherwise."""
    doc_id = normalise_target(doc_id or "")
    doc = content.documents.get(doc_id)
    if doc is None:
        raise Refused(f"there is no document `{doc_id}`", 404)
    if doc.author != actor:
        raise Refused(f"only its author (@{doc.author}) may {what} `{doc_id}`", 403)
    return doc


def load_file_meta(settings: Settings, relpath: str) -> tuple[str, dict, str]:
    """The current text of a content file, its front matter as a mapping, and its body."""
    path = _check_inside(settings, relpath)
    try:
        text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    except OSError as exc:
        raise Refused(f"content/{relpath} cannot be read: {exc.strerror}", 404) from None
    front, body, _ = split_front_matter(text)
    meta = yaml.safe_load(front or "") or {}
    if not isinstance(meta, dict):
        raise Refused(f"content/{relpath} has front matter wol cannot read; fix it in Git", 409)
    return text, meta, body


def build_edit(settings: Settings, content: Content, actor: str, doc_id: str, data: dict) -> Change:
    """The author's new title, tags and body for one of their documents; other fields are kept."""
    doc = find_own_document(content, actor, doc_id)
    relpath = doc.path.removeprefix(settings.content_dir + "/")
    text, meta, _ = load_file_meta(settings, relpath)
    base = data.get("base")
    if base and base != text_version(text):
        raise Refused(f"`{doc.id}` was changed by someone else while you edited it; "
                      f"your text is kept here: copy it, reload the page and apply your change again", 409)
    changes = {}
    titled = doc.kind not in (ANSWER, REPLY)
    if titled and "title" in data:
        changes["title"] = parse_title(data.get("title"))
    if titled and "tags" in data:
        changes["tags"] = parse_tags(data.get("tags")) or None
    body = parse_body(data.get("body"), required=doc.kind != QUESTION)
    message = f"Edit {doc.id}"
    if "draft" in data and parse_draft(data["draft"]) != doc.draft:
        changes["draft"] = True if parse_draft(data["draft"]) else None
        message = f"{'Unpublish' if changes['draft'] else 'Publish'} {doc.id}"
    return one_file(relpath, update_front_matter(text, changes, body), message, doc.id)


def parse_draft(value) -> bool:
    if value in (None, False, True):
        return bool(value)
    raise Refused("`draft` must be true or false", 422)


def build_delete(settings: Settings, content: Content, graph: Graph, actor: str, doc_id: str) -> Change:
    """The author's own post, question or answer deleted (Git's history keeps it).

    Refused while other people's answers or replies hang on it: unpublishing it
    (`draft: true`) takes it off the site without taking their words with it.
    """
    doc = find_own_document(content, actor, doc_id, "delete")
    if doc.kind == REPLY:
        return build_withdraw_reply(settings, content, actor, doc_id)
    others = [d.id for d in content.documents.values()
              if d.author != actor and (d.question_id == doc.id if d.kind == ANSWER else
                                        d.kind == REPLY and d.target_id == doc.id)]
    if others:
        raise Refused(f"`{doc.id}` has answers or replies by other people ({', '.join(sorted(others)[:3])}): "
                      f"unpublish it instead, which keeps their words", 409)
    prefix = settings.content_dir + "/"
    gone = [doc.path] + [d.path for d in content.documents.values()
                         if (d.kind == ANSWER and d.question_id == doc.id)
                         or (d.kind == REPLY and d.target_id == doc.id)]
    return Change({p.removeprefix(prefix): None for p in gone}, f"Delete {doc.id}", doc.id)


def build_accept(settings: Settings, content: Content, graph: Graph, actor: str, slug: str, answer) -> Change:
    """The question with `accepted` set to answer (or removed, for None): only its author may."""
    slug = parse_question_slug(slug)
    question_id = f"questions/{slug}"
    question = content.documents.get(question_id)
    if question is None or question.kind != QUESTION:
        raise Refused(f"there is no question `{question_id}`", 404)
    if question.author != actor:
        raise Refused(f"only the person who asked (@{question.author}) may accept an answer", 403)
    relpath = question.path.removeprefix(settings.content_dir + "/")
    text, meta, body = load_file_meta(settings, relpath)
    if answer in (None, ""):
        if "accepted" not in meta:
            raise Refused("no answer is accepted", 409)
        return one_file(relpath, update_front_matter(text, {"accepted": None}, body),
                        f"Withdraw the accepted answer of {question_id}", question_id, accepted=None)
    if not isinstance(answer, str):
        raise Refused("`answer` must be the answer's name or id", 422)
    name = normalise_target(answer).rsplit("/", 1)[-1]
    answer_id = f"{question_id}/answers/{name}"
    thread = graph.threads.get(question_id)
    if thread is None or answer_id not in thread.answers:
        raise Refused(f"`{answer_id}` is not a published answer of this question", 404)
    return one_file(relpath, update_front_matter(text, {"accepted": name}, body),
                    f"Accept {answer_id} as the answer to {question_id}", question_id, accepted=answer_id)


# -- replies ------------------------------------------------------------------

def build_new_reply(settings: Settings, graph: Graph, author: str, data: dict) -> Change:
    """A reply by author to a published post, question or answer, beside it (docs/replies.md)."""
    raw = data.get("target")
    if not isinstance(raw, str) or not raw.strip():
        raise Refused("say what this replies to: {\"target\": \"<document id>\"}", 422)
    target_id = normalise_target(raw)
    if is_reply_id(target_id):
        raise Refused("replies are one level deep: reply to the post, question or answer, "
                      "and mention whom you answer with @handle", 422)
    target = graph.documents.get(target_id)
    if target is None:
        raise Refused(f"there is no published post, question or answer `{target_id}`", 404)
    body = parse_body(data.get("body"))
    stamp = now()
    path = unique_path(_check_inside(settings, replies_folder(target_id)), f"{stamp.date().isoformat()}-{author}")
    relpath = _content_rel(settings, path)
    return one_file(relpath, render_front_matter({"author": author, "date": stamp.isoformat()}, body),
                    f"Reply to {target_id}", relpath.removesuffix(".md"), create=True, target=target_id)


def build_withdraw_reply(settings: Settings, content: Content, actor: str, reply_id: str) -> Change:
    """The author's own reply deleted (Git's history keeps it)."""
    reply = find_own_document(content, actor, reply_id, "withdraw")
    if reply.kind != REPLY:
        raise Refused(f"`{reply.id}` is a {reply.kind}, not a reply", 422)
    relpath = reply.path.removeprefix(settings.content_dir + "/")
    return Change({relpath: None}, f"Withdraw reply {reply.id}", reply.id, extra={"target": reply.target_id})


# -- profiles -----------------------------------------------------------------

def build_profile(settings: Settings, content: Content, actor: str, handle: str, data: dict) -> Change:
    """A person's own profile with new name, title, team, location, expertise and body."""
    if handle != actor:
        raise Refused("you may only change your own profile", 403)
    person = content.people.get(handle)
    if person is None:
        raise Refused(f"there is no profile `people/{handle}`", 404)
    relpath = f"people/{handle}.md"
    text, meta, body = load_file_meta(settings, relpath)
    wanted, body = _profile_fields(dict(meta), body, data)
    changes = {k: wanted.get(k) for k in set(meta) | set(wanted) if wanted.get(k) != meta.get(k)}
    return one_file(relpath, update_front_matter(text, changes, body), f"Profile of @{handle}", f"people/{handle}")


def build_new_profile(settings: Settings, content: Content, email: str, data: dict) -> Change:
    """A first profile for the Git user (laptop mode), with the Git user's email."""
    handle = str(data.get("handle") or "").strip().lower().lstrip("@")
    if not is_valid_handle(handle):
        raise Refused("choose a handle: lower-case letters, digits, `.`, `_` or `-`, such as `alice`", 422)
    if handle in content.people or _check_inside(settings, f"people/{handle}.md").exists():
        raise Refused(f"the handle `{handle}` is taken; choose another", 409)
    if hash_handle(handle) in content.forgotten:
        raise Refused(f"the handle `{handle}` belonged to someone who asked to be forgotten; choose another", 409)
    if not str(data.get("name") or "").strip():
        raise Refused("give your name", 422)
    meta, body = _profile_fields({"name": "", "email": email}, "", data)
    return one_file(f"people/{handle}.md", render_front_matter(meta, body), f"Profile of @{handle}",
                    f"people/{handle}", create=True)


def _profile_fields(meta: dict, body: str, data: dict) -> tuple[dict, str]:
    for name in PROFILE_FIELDS:
        if name in data:
            value = data[name]
            if value is not None and not isinstance(value, str):
                raise Refused(f"`{name}` must be text", 422)
            value = " ".join((value or "").split())
            if name == "name" and not value:
                raise Refused("your name cannot be empty", 422)
            if value:
                meta[name] = value
            else:
                meta.pop(name, None)
    if "expertise" in data:
        tags = parse_tags(data.get("expertise"))
        if tags:
            meta["expertise"] = tags
        else:
            meta.pop("expertise", None)
    if "body" in data:
        body = parse_body(data.get("body"), required=False)
    return meta, body


# -- votes ----------------------------------------------------------------------

VOTE_REFUSALS = {"vote-voter-unknown": 403, "vote-target-missing": 404, "vote-self": 403, "vote-duplicate": 409}


def build_vote(settings: Settings, graph: Graph, voter: str, target: str, undo: bool = False,
               today: date | None = None) -> Change:
    """The voter's votes file with a vote for target added (or withdrawn); refused when it would not count.

    Whether a vote counts is the graph's rule (`judge_vote`), the one `wol check` applies.
    """
    target = normalise_target(target)
    relpath = f"votes/{voter}.txt"
    path = inside(settings.content_path, relpath)
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    if undo:
        new = remove_vote(text, target)
        if new is None:
            raise Refused(f"you have no vote for `{target}` to withdraw", 409)
        return one_file(relpath, new, f"Withdraw vote for {target}", target)
    seen = {(voter, t) for t in graph.votes_by.get(voter, [])}
    why = judge_vote(Vote(voter, target, f"{settings.content_dir}/{relpath}", 0), graph.votable, graph.people, seen)
    if why is not None:
        code, message = why
        if code == "vote-voter-unknown":
            message = f"`{voter}` has no profile, so cannot vote (create content/people/{voter}.md)"
        raise Refused(message, VOTE_REFUSALS[code])
    new = add_vote(text, target, today or date.today())
    if new is None:  # voted in the file, but the vote did not count before (e.g. the target was a draft)
        raise Refused(f"you already voted for `{target}`; your vote counts once", 409)
    return one_file(relpath, new, f"Vote: {target} was useful", target)


# -- uploads: files pasted, dropped or picked in the editor, committed with their document --------

MAX_UPLOADS = 20  # files in one save


def add_uploads(settings: Settings, change: Change, uploads) -> Change:
    """The change with the uploaded files beside its document, and the body's links to them pointed there.

    `uploads`: [{name, data (base64)}] as the editor sends them; the body links to
    each by its bare name (`![shot](screenshot.png)`). Each file must be of an
    allowed type whose content matches (SVG is refused), under the size limit,
    and gets a safe name no other file in the folder has.
    """
    if not uploads:
        return change
    if not isinstance(uploads, list) or len(uploads) > MAX_UPLOADS:
        raise Refused(f"`files` must be a list of at most {MAX_UPLOADS} files", 422)
    relpath = change.relpath
    folder_rel = files_folder(relpath)
    folder = _check_inside(settings, folder_rel)
    text = change.files[relpath]
    files, taken = dict(change.files), set()
    for upload in uploads:
        name, data = parse_upload(settings, upload)
        stem, suffix = name.rsplit(".", 1)
        unique = unique_path(folder, stem, suffix="." + suffix)
        while unique.name in taken:
            unique = unique_path(folder, f"{stem}-{len(taken) + 1}", suffix="." + suffix)
        taken.add(unique.name)
        files[f"{folder_rel}/{unique.name}"] = data
        link = f"{posixpath.basename(folder_rel)}/{unique.name}"
        text = re.sub(rf"\]\(\s*<?{re.escape(upload['name'])}>?(\s|\))", lambda m: f"]({link}{m.group(1)}", text)
    files[relpath] = text
    return Change(files, change.message, change.id, change.create, change.extra)


def parse_upload(settings: Settings, upload) -> tuple[str, bytes]:
    """(safe file name, content) of one upload, or Refused saying why (type, content, size, name)."""
    if not (isinstance(upload, dict) and isinstance(upload.get("name"), str) and isinstance(upload.get("data"), str)):
        raise Refused("each file is {\"name\": \"shot.png\", \"data\": \"<base64>\"}", 422)
    raw = upload["name"]
    if "/" in raw or "\\" in raw or raw.startswith("."):
        raise Refused(f"`{raw}` is not a file name: send the name alone, without folders", 422)
    suffix = suffix_of(raw)
    if suffix == ".svg":
        raise Refused(f"{raw}: SVG files are refused (they can carry script); export the drawing as PNG", 415)
    if suffix not in TYPES:
        raise Refused(f"{raw}: {suffix or 'files without an extension'} cannot be attached; "
                      f"allowed: {', '.join(sorted(TYPES))}", 415)
    try:
        data = base64.b64decode(upload["data"], validate=True)
    except (binascii.Error, ValueError):
        raise Refused(f"{raw}: `data` is not base64", 422) from None
    if len(data) > settings.attachment_max_bytes:
        raise Refused(f"{raw} is {format_size(len(data))}; at most {format_size(settings.attachment_max_bytes)} can be "
                      f"attached (keep bigger files with Git LFS and link to them)", 413)
    if sniff(suffix, data[:HEAD_BYTES]) is None:
        raise Refused(f"{raw}: its content is not a {suffix} file; save it in that format", 415)
    stem = slugify(raw.rsplit(".", 1)[0]) if "." in raw else "file"
    return f"{stem}{suffix}", data
