"""The types read from `content/`: documents, people, topic files and votes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from .attachments import Attachment

POST = "post"
QUESTION = "question"
ANSWER = "answer"
REPLY = "reply"  # a reply to a post, question or answer (docs/replies.md)
PERSON = "person"
TOPIC = "topic"
VOTES = "votes"
FORGOTTEN = "forgotten"  # forgotten.txt: hashes of forgotten handles (wol/content/forgotten.py)
DOCUMENT_KINDS = (POST, QUESTION, ANSWER)
REPLIES_FOLDER = "replies"  # questions/<slug>/replies/<name>.md
REPLIES_SUFFIX = ".replies"  # posts/…/<slug>.replies/<name>.md, questions/<slug>/answers/<name>.replies/<name>.md


def reply_target(reply_id: str) -> str:
    """The id of what a reply answers: `posts/2026/x.replies/r` → `posts/2026/x`."""
    folder = reply_id.rsplit("/", 1)[0]
    if folder.endswith(REPLIES_SUFFIX):
        return folder[: -len(REPLIES_SUFFIX)]
    return folder.rsplit("/", 1)[0]  # questions/<slug>/replies


def replies_folder(target_id: str) -> str:
    """Where the replies to a document live, relative to content/."""
    if target_id.startswith("questions/") and "/answers/" not in target_id:
        return f"{target_id}/{REPLIES_FOLDER}"
    return f"{target_id}{REPLIES_SUFFIX}"


def reply_anchor(reply_id: str) -> str:
    """The anchor of a reply on its page: `reply-<name>`, or `reply-<answer>-<name>` under an answer."""
    target, name = reply_target(reply_id), reply_id.rsplit("/", 1)[-1]
    if "/answers/" in target:
        return f"reply-{target.rsplit('/', 1)[-1]}-{name}"
    return f"reply-{name}"


def is_reply_id(item_id: str) -> bool:
    """Whether an id names a reply (its folder is a `.replies` folder, or a question's `replies/`)."""
    if "replies/" not in item_id:  # both kinds of folder end so: most ids are answered here, and fast
        return False
    folder = item_id.rsplit("/", 1)[0]
    return folder.endswith(REPLIES_SUFFIX) or (folder.startswith("questions/") and folder.count("/") == 2
                                               and folder.endswith("/" + REPLIES_FOLDER))


@dataclass
class Document:
    """A post, question or answer: front matter plus a Markdown body."""

    id: str
    kind: str
    path: str  # relative to the repository root, with forward slashes
    title: str
    author: str
    date: datetime
    body: str
    body_line: int  # line of the file on which the body starts
    tags: list[str] = field(default_factory=list)  # normalised front-matter tags
    hashtags: list[str] = field(default_factory=list)  # normalised, as written in the body
    mentions: list[str] = field(default_factory=list)  # lower-cased handles, known or not
    draft: bool = False
    accepted: str | None = None  # questions: the accepted answer's name
    meta: dict = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)  # front-matter field → line in the file

    @property
    def question_id(self) -> str | None:
        """For an answer, the id of its question."""
        if self.kind == ANSWER:
            return self.id.split("/answers/")[0]
        return None

    @property
    def target_id(self) -> str | None:
        """For a reply, the id of the post, question or answer it answers."""
        return reply_target(self.id) if self.kind == REPLY else None

    @property
    def name(self) -> str:
        """Last part of the id: a post's slug, an answer's name."""
        return self.id.rsplit("/", 1)[-1]


@dataclass
class Person:
    """A profile: `people/<handle>.md`."""

    handle: str
    path: str
    name: str
    email: str
    title: str = ""
    team: str = ""
    location: str = ""
    expertise: list[str] = field(default_factory=list)  # declared, normalised tags
    left: date | None = None
    avatar: str = ""  # an image file beside the profile, as written (`alice.jpg`, `alice.files/me.png`)
    notify: dict | None = None  # channel → {kind: mode, webhook: name}, as `to_notify` reads it; None: defaults
    body: str = ""
    body_line: int = 1
    mentions: list[str] = field(default_factory=list)
    hashtags: list[str] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"people/{self.handle}"

    @property
    def has_left(self) -> bool:
        return self.left is not None


@dataclass
class TopicFile:
    """A topic's own page: `topics/<tag>.md`."""

    tag: str
    path: str
    title: str = ""
    aliases: list[str] = field(default_factory=list)
    facilitators: list[str] = field(default_factory=list)
    chat: str = ""  # the name of a webhook in mkdocs.yml's wol.notify.webhooks: the topic's chat channel
    body: str = ""
    body_line: int = 1
    lines: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Vote:
    """One line of `votes/<handle>.txt`: `voter` found `target` useful."""

    voter: str
    target: str
    path: str
    line: int
    date: date | None = None


def field_line(item, name: str) -> int:
    """Line of a front-matter field in the item's file (line 2, the first field, when absent)."""
    return item.lines.get(name, 2)


@dataclass
class Content:
    """Everything read from `content/`, before deriving the graph."""

    documents: dict[str, Document] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    topic_files: dict[str, TopicFile] = field(default_factory=dict)
    votes: list[Vote] = field(default_factory=list)
    problems: list = field(default_factory=list)
    invalid: dict[str, str] = field(default_factory=dict)  # path → first error, for documents skipped
    forgotten: frozenset = frozenset()  # SHA-256 hashes of forgotten handles, from forgotten.txt
    attachments: dict = field(default_factory=dict)  # path → Attachment (wol/content/attachments.py)
    sources: dict = field(default_factory=dict)  # path → digest of the bytes read from disk (load_content)

    def add(self, item) -> None:
        if isinstance(item, Attachment):
            self.attachments[item.path] = item
        elif isinstance(item, Document):
            self.documents[item.id] = item
        elif isinstance(item, Person):
            self.people[item.handle] = item
        elif isinstance(item, TopicFile):
            self.topic_files[item.tag] = item
        elif isinstance(item, list):
            self.votes.extend(item)
        elif isinstance(item, frozenset):
            self.forgotten = self.forgotten | item
