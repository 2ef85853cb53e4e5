"""Text → content objects. Pure: no disk, no Git.

`parse_file(relpath, text)` reads one file of `content/` whose path (relative
to `content/`) decides its kind and id, validates its front matter against the
table of fields below, and returns the object with the problems found.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timezone

import yaml

from .forgotten import parse_forgotten
from .spans import MAX_TAG_LENGTH, find_spans, is_valid_handle, is_valid_tag, line_of, normalise_tag, TAG, MENTION
from ..problems import ERROR, WARNING, Problem
from .document import ANSWER, FORGOTTEN, PERSON, POST, QUESTION, REPLY, TOPIC, VOTES, Document, Person, TopicFile, Vote

_HANDLE = r"[a-z0-9](?:[a-z0-9._-]*[a-z0-9])?"
_NAME = r"[^/]+"
KIND_PATHS = [
    (PERSON, re.compile(rf"^people/(?P<handle>{_HANDLE})\.md$")),
    (REPLY, re.compile(rf"^questions/{_NAME}/answers/{_NAME}\.replies/(?P<name>{_NAME})\.md$")),
    (REPLY, re.compile(rf"^questions/{_NAME}/replies/(?P<name>{_NAME})\.md$")),
    (REPLY, re.compile(rf"^posts/.+\.replies/(?P<name>{_NAME})\.md$")),
    (ANSWER, re.compile(rf"^questions/(?P<slug>{_NAME})/answers/(?P<name>{_NAME})\.md$")),
    (QUESTION, re.compile(rf"^questions/(?P<slug>{_NAME})/index\.md$")),
    (POST, re.compile(r"^posts/(?P<rest>.+)\.md$")),
    (TOPIC, re.compile(r"^topics/(?P<tag>[^/]+)\.md$")),
    (VOTES, re.compile(rf"^votes/(?P<handle>{_HANDLE})\.txt$")),
    (FORGOTTEN, re.compile(r"^forgotten\.txt$")),
]


class FieldError(ValueError):
    """A front-matter value that does not fit its field; `key`: the nested key at fault, if any."""

    def __init__(self, message: str, key: str = ""):
        super().__init__(message)
        self.key = key


def kind_of(relpath: str) -> tuple[str | None, dict]:
    """The kind of a file from its path under content/, with the parts of its id."""
    for kind, pattern in KIND_PATHS:
        m = pattern.match(relpath)
        if m:
            return kind, m.groupdict()
    return None, {}


# --- field normalisers: value → normalised value, or FieldError -------------

def to_text(value):
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        text = str(value).strip()
        if text:
            return text
    raise FieldError("must be a line of text")


def to_handle(value):
    if isinstance(value, str) and is_valid_handle(value.strip().lower().lstrip("@")):
        return value.strip().lower().lstrip("@")
    raise FieldError("must be a person's handle, such as `alice` (lower-case letters, digits, `.`, `_`, `-`)")


def to_datetime(value):
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    if isinstance(value, date):
        return datetime.combine(value, time(0, 0), tzinfo=timezone.utc)
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            pass
        else:
            return to_datetime(parsed)
    raise FieldError("must be an ISO 8601 date such as 2026-03-01, or a date-time such as 2026-03-01T09:30:00Z")


def to_date(value):
    return to_datetime(value).date()


def to_bool(value):
    if isinstance(value, bool):
        return value
    raise FieldError("must be true or false")


def _to_list(value, item, what):
    if isinstance(value, str):
        value = [v for v in re.split(r"[,\s]+", value) if v]
    if not isinstance(value, list):
        raise FieldError(f"must be a list of {what}, such as [a, b]")
    out = []
    for v in value:
        out.append(item(v))
    return list(dict.fromkeys(out))


def _to_tag(value):
    text = str(value).strip().lstrip("#") if isinstance(value, (str, int)) else ""
    if len(text) > MAX_TAG_LENGTH:
        raise FieldError(f"has a tag of {len(text)} characters; a tag has at most {MAX_TAG_LENGTH}")
    if not is_valid_tag(text):
        raise FieldError(f"has `{value}`, which is not a tag (a letter, then letters, digits, `_` or `-`)")
    return normalise_tag(text)


def to_tags(value):
    return _to_list(value, _to_tag, "tags")


def to_handles(value):
    return _to_list(value, to_handle, "handles")


def to_name(value):
    text = to_text(value)
    if "/" in text:
        raise FieldError("must be the name of an answer file, without folder or `.md`")
    return text.removesuffix(".md")


NOTIFY_CHANNELS = ("email", "chat")
NOTIFY_KINDS = ("mention", "answer", "reply", "accepted", "useful", "question")
NOTIFY_MODES = ("immediate", "daily", "weekly", "off")


def _to_mode(value, where):
    if value is False:  # YAML reads a bare `off` as false
        return "off"
    if isinstance(value, str) and value.strip().lower() in NOTIFY_MODES:
        return value.strip().lower()
    raise FieldError(f"has `{where}: {value}`; a choice is one of {', '.join(NOTIFY_MODES)}",
                     key=where.rsplit(".", 1)[-1])


def to_notify(value):
    """`off`, or per channel (email, chat) one mode for every kind, or a mapping kind → mode (chat: + webhook)."""
    if value is False or (isinstance(value, str) and value.strip().lower() == "off"):
        return {channel: {kind: "off" for kind in NOTIFY_KINDS} for channel in NOTIFY_CHANNELS}
    if not isinstance(value, dict):
        raise FieldError("must be `off`, or a mapping such as `{email: {mention: immediate, question: daily}}`")
    out = {}
    for channel, choice in value.items():
        if channel not in NOTIFY_CHANNELS:
            raise FieldError(f"has the channel `{channel}`; the channels are {', '.join(NOTIFY_CHANNELS)}",
                             key=str(channel))
        if not isinstance(choice, dict):
            out[channel] = {kind: _to_mode(choice, channel) for kind in NOTIFY_KINDS}
            continue
        modes = {}
        for kind, mode in choice.items():
            if kind == "webhook" and channel == "chat":
                modes["webhook"] = to_text(mode)
            elif kind in NOTIFY_KINDS:
                modes[kind] = _to_mode(mode, f"{channel}.{kind}")
            else:
                extra = " and webhook" if channel == "chat" else ""
                raise FieldError(f"has `{channel}.{kind}`; the kinds are {', '.join(NOTIFY_KINDS)}{extra}",
                                 key=str(kind))
        out[channel] = modes
    return out


REQUIRED, OPTIONAL = True, False
FIELDS = {
    PERSON: {"name": (REQUIRED, to_text), "email": (REQUIRED, to_text), "title": (OPTIONAL, to_text),
             "team": (OPTIONAL, to_text), "location": (OPTIONAL, to_text), "expertise": (OPTIONAL, to_tags),
             "left": (OPTIONAL, to_date), "notify": (OPTIONAL, to_notify),
             "avatar": (OPTIONAL, to_text)},
    POST: {"title": (REQUIRED, to_text), "author": (REQUIRED, to_handle), "date": (REQUIRED, to_datetime),
           "tags": (OPTIONAL, to_tags), "draft": (OPTIONAL, to_bool)},
    QUESTION: {"title": (REQUIRED, to_text), "author": (REQUIRED, to_handle), "date": (REQUIRED, to_datetime),
               "tags": (OPTIONAL, to_tags), "accepted": (OPTIONAL, to_name), "draft": (OPTIONAL, to_bool)},
    ANSWER: {"author": (REQUIRED, to_handle), "date": (REQUIRED, to_datetime), "draft": (OPTIONAL, to_bool)},
    REPLY: {"author": (REQUIRED, to_handle), "date": (REQUIRED, to_datetime), "draft": (OPTIONAL, to_bool)},
    TOPIC: {"title": (OPTIONAL, to_text), "aliases": (OPTIONAL, to_tags), "facilitators": (OPTIONAL, to_handles),
            "chat": (OPTIONAL, to_text)},
}


# --- front matter ------------------------------------------------------------

class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml when present: 10× faster
    """Safe YAML whose dates stay text: `to_datetime` reads them, so `2026-02-30` is a problem, not a crash."""


_LineLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}

# Characters no page or feed can carry (XML 1.0 refuses them; C1 controls move terminals), and lone surrogates.
_UNPUBLISHABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def _strings(value):
    """Every string inside a YAML value (lists and mappings included)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


MAX_BODY_CHARACTERS = 500_000  # about 80,000 words: longer is an attachment, not a post
MAX_TOPICS = 100  # distinct hashtags and tags of one document
# Runs that Python-Markdown's extensions take super-linear time on (4,000 backticks: minutes); no text needs them.
_SLOW_CHARACTERS = "`[(<"  # runs of 65 or more of one of these
_SLOW_LIST = re.compile(r"(?:[0-9]+\. |[-*+] ){65,}")  # list markers nested on one line
_NUMBERED_HINT = re.compile(r"\. \d")  # a literal prefix: scanned fast; most bodies skip _SLOW_LIST


def _find_slow_run(body: str) -> tuple[int, str] | None:
    """(offset, text) of the first run of markup that would cost minutes to render, if any."""
    found = []
    for character in _SLOW_CHARACTERS:
        start = body.find(character * 65)  # a literal scan: fast
        if start >= 0:
            end = start + 65
            while end < len(body) and body[end] == character:
                end += 1
            found.append((start, body[start:end]))
    if "- - " in body or "* * " in body or "+ + " in body or _NUMBERED_HINT.search(body):
        match = _SLOW_LIST.search(body)
        if match:
            found.append((match.start(), match.group()))
    return min(found) if found else None


def find_unrenderable(body: str, body_line: int, path: str) -> Problem | None:
    """Why a body would stall the build (too long, or a run of markup that costs minutes), as a problem."""
    if len(body) > MAX_BODY_CHARACTERS:
        return Problem(path, body_line, ERROR, "body-too-long",
                       f"the text is {len(body):,} characters long; at most {MAX_BODY_CHARACTERS:,} can be published "
                       f"(split it, or attach the rest as a file)")
    run = _find_slow_run(body)
    if run is not None:
        start, text = run
        return Problem(path, body_line + line_of(body, start) - 1, ERROR, "markup-run",
                       f"a run of {len(text)} characters `{text[:6]}…` would take minutes to render; "
                       f"shorten it (64 at most)")
    return None


def find_unpublishable(text: str, path: str) -> Problem | None:
    """The first character of text that cannot be published, as a problem naming its line."""
    found = _UNPUBLISHABLE.search(text)
    if found is None:
        return None
    return Problem(path, line_of(text, found.start()), ERROR, "character-unpublishable",
                   f"holds the character U+{ord(found.group()):04X} (a control character or half of a "
                   f"surrogate pair), which no page or feed can show; remove it")


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """Return (front matter YAML or None, body, line on which the body starts)."""
    if not text.startswith("---"):
        return None, text, 1
    lines = text.splitlines(keepends=True)
    if lines[0].rstrip() != "---":
        return None, text, 1
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            return "".join(lines[1:i]), "".join(lines[i + 1:]), i + 2
    raise FieldError("the front matter opened by `---` on line 1 is never closed by a `---` line")


def _nested_line(front: str, line: int, key: str) -> int:
    """The line of `key:` nested under the field on `line` (that line itself when not found)."""
    rows = front.splitlines()
    for number in range(line - 1, len(rows)):  # rows[line - 2] is the field's own line
        row = rows[number]
        if row.strip() and not row[0].isspace():
            break
        if key and re.match(rf"^\s+{re.escape(key)}\s*:", row):
            return number + 2
    return line


def _field_lines(front: str) -> dict[str, int]:
    """Line (in the file) of each top-level key of the front matter."""
    lines = {}
    for i, line in enumerate(front.splitlines()):
        m = re.match(r"^([A-Za-z_][\w-]*)\s*:", line)
        if m and m.group(1) not in lines:
            lines[m.group(1)] = i + 2
    return lines


def parse_file(relpath: str, text: str, path: str | None = None):
    """Parse one file of content/; return (object or None, problems)."""
    path = path or f"content/{relpath}"
    kind, parts = kind_of(relpath)
    if kind is None:
        return None, [_unknown_path(relpath, path)]
    unpublishable = find_unpublishable(text, path)
    if unpublishable is not None:
        return None, [unpublishable]
    if kind == VOTES:
        return parse_votes(parts["handle"], text, path)
    if kind == FORGOTTEN:
        return parse_forgotten(text), []
    problems = []

    def problem(line, severity, code, message):
        problems.append(Problem(path, line, severity, code, message))

    try:
        front, body, body_line = split_front_matter(text)
    except FieldError as exc:
        problem(1, ERROR, "front-matter-unclosed", str(exc))
        return None, problems
    meta = {}
    if front is None:
        if kind != TOPIC:
            problem(1, ERROR, "front-matter-missing",
                    "has no front matter: start the file with a `---` line, the fields, and another `---` line")
            return None, problems
    else:
        try:
            meta = yaml.load(front, Loader=_LineLoader)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 2 if mark else 1
            what = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            problem(line, ERROR, "yaml-syntax", f"the front matter is not valid YAML: {what}")
            return None, problems
        except (ValueError, TypeError, OverflowError, RecursionError) as exc:  # e.g. `!!int x`
            problem(2, ERROR, "yaml-value", f"the front matter holds a value YAML cannot read: {exc}")
            return None, problems
        if meta is None:
            meta = {}
        if not isinstance(meta, dict):
            problem(2, ERROR, "front-matter-not-mapping",
                    "the front matter must be a list of `field: value` lines")
            return None, problems
    lines = _field_lines(front or "")
    for name, value in meta.items():  # YAML escapes (`"\e"`, `"\0"`) bring them back in values
        bad = next(filter(None, map(_UNPUBLISHABLE.search, _strings(value))), None)
        if bad:
            problem(lines.get(str(name), 2), ERROR, "character-unpublishable",
                    f"the field `{name}` holds the character U+{ord(bad.group()):04X} (a control character "
                    f"or half of a surrogate pair), which no page or feed can show; remove it")
            return None, problems
    values = {}
    ok = True
    for name, (required, normalise) in FIELDS[kind].items():
        if name not in meta or meta[name] is None or meta[name] == "":
            if required:
                ok = False
                problem(2 if front is not None else 1, ERROR, "field-missing", f"the required field `{name}` is missing")
            continue
        try:
            values[name] = normalise(meta[name])
        except FieldError as exc:
            if normalise is to_notify:  # the profile stays; nothing is sent until the choice can be read
                values[name] = to_notify("off")
                problem(_nested_line(front or "", lines.get(name, 2), exc.key), ERROR, "field-invalid",
                        f"the field `{name}` {exc}; until it is fixed, wol notify sends you nothing")
                continue
            ok = False
            problem(lines.get(name, 2), ERROR, "field-invalid", f"the field `{name}` {exc}")
    for name in meta:
        if kind in (POST, QUESTION, ANSWER, REPLY) and name not in FIELDS[kind] and name not in ("title",):
            problem(lines.get(name, 2), WARNING, "field-unknown",
                    f"the field `{name}` is not one wol knows; it is kept but not used")
    if not ok:
        return None, problems
    if kind == REPLY and not body.strip():
        problem(body_line, ERROR, "reply-empty", "a reply needs some text below its front matter")
        return None, problems
    unrenderable = find_unrenderable(body, body_line, path)
    if unrenderable is not None:
        problems.append(unrenderable)
        return None, problems
    spans = find_spans(body)
    for span in spans:
        if span.kind == TAG and len(span.value) > MAX_TAG_LENGTH:
            problem(body_line + line_of(body, span.start) - 1, ERROR, "tag-too-long",
                    f"#{span.raw[:20]}… is {len(span.value)} characters long; a tag has at most {MAX_TAG_LENGTH}")
    hashtags = list(dict.fromkeys(s.value for s in spans if s.kind == TAG and len(s.value) <= MAX_TAG_LENGTH))
    if len(set(hashtags) | set(values.get("tags", []))) > MAX_TOPICS:
        problem(body_line, ERROR, "topics-too-many",
                f"has {len(set(hashtags) | set(values.get('tags', [])))} distinct topics; at most {MAX_TOPICS}")
        return None, problems
    mentions = list(dict.fromkeys(s.value for s in spans if s.kind == MENTION))
    if kind == PERSON:
        return Person(handle=parts["handle"], path=path, name=values["name"], email=values["email"],
                      title=values.get("title", ""), team=values.get("team", ""),
                      location=values.get("location", ""), expertise=values.get("expertise", []),
                      left=values.get("left"), avatar=values.get("avatar", ""), notify=values.get("notify"), body=body, body_line=body_line,
                      mentions=mentions, hashtags=hashtags, lines=lines), problems
    if kind == TOPIC:
        tag = parts["tag"]
        if not is_valid_tag(tag):
            problem(1, ERROR, "topic-name-invalid",
                    f"`{tag}` is not a tag name: a topic file is named after its tag, such as topics/kafka.md")
            return None, problems
        return TopicFile(tag=normalise_tag(tag), path=path, title=values.get("title", ""),
                         aliases=values.get("aliases", []), facilitators=values.get("facilitators", []),
                         chat=values.get("chat", ""), body=body, body_line=body_line, lines=lines), problems
    doc_id = relpath[: -len("/index.md")] if kind == QUESTION else relpath[: -len(".md")]
    title = values.get("title") or ""
    return Document(id=doc_id, kind=kind, path=path, title=title, author=values["author"],
                    date=values["date"], body=body, body_line=body_line, tags=values.get("tags", []),
                    hashtags=hashtags, mentions=mentions, draft=values.get("draft", False),
                    accepted=values.get("accepted"), meta=meta, lines=lines), problems


def _unknown_path(relpath: str, path: str) -> Problem:
    if "/answers/" in relpath or relpath.startswith("answers/"):
        return Problem(path, 1, ERROR, "answer-outside-question",
                       "an answer must be at questions/<question>/answers/<name>.md")
    if relpath.startswith("questions/") and relpath.endswith(".md"):
        return Problem(path, 1, ERROR, "question-path",
                       "a question must be at questions/<slug>/index.md, its answers in questions/<slug>/answers/")
    return Problem(path, 1, WARNING, "file-unknown",
                   "wol does not know what this file is (see the table of kinds and paths in the contributor guide); it is not published")


def parse_votes(handle: str, text: str, path: str) -> tuple[list[Vote], list[Problem]]:
    """Parse `votes/<handle>.txt`: one target id a line, optionally after an ISO date."""
    votes, problems = [], []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        when = None
        if len(parts) == 2:
            try:
                when = to_date(parts[0])
            except FieldError:
                problems.append(Problem(path, number, ERROR, "vote-syntax",
                                        f"`{parts[0]}` is not an ISO date; a vote line is `[YYYY-MM-DD ]target-id`"))
                continue
            parts = parts[1:]
        if len(parts) != 1:
            problems.append(Problem(path, number, ERROR, "vote-syntax",
                                    "a vote line holds one target id, optionally after a date: `2026-03-01 posts/2026/slug`"))
            continue
        votes.append(Vote(voter=handle, target=normalise_target(parts[0]), path=path, line=number, date=when))
    return votes, problems


def normalise_target(target: str) -> str:
    """Accept `posts/x`, `/posts/x/`, `content/posts/x.md` and `questions/q/#answer` alike."""
    target = target.strip().strip("/")
    target = target.removeprefix("content/").removesuffix(".md").removesuffix("/index")
    if "/#" in target:
        question, name = target.split("/#", 1)
        target = f"{question}/answers/{name}"
    return target.strip("/")
