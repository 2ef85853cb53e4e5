"""Content → Graph: what is published, topics, mentions, usefulness, Q&A and expertise.

Everything here is derived, never stored: `build_graph` recomputes it from the
Content read from `content/`. Pure: no disk, no Git, no MkDocs.

Expertise on a topic is earned, not declared: a person scores one point for
each counted vote on their published documents with that topic, and
ACCEPTED_POINTS for each answer on that topic accepted by someone else.
Unvoted, unaccepted writing scores nothing, however much of it there is.

Replies (docs/replies.md) are kept apart from documents: `replies` and
`replies_of`. They have no page and are not listed as documents, but they
carry topics (their own and their target's), mentions and votes like any
contribution, so a voted reply earns expertise and an unvoted one nothing.
"""

from __future__ import annotations

import heapq
from collections import ChainMap, Counter, defaultdict
from dataclasses import dataclass, field

from ..content.document import (ANSWER, QUESTION, REPLY, Content, Document, Person, TopicFile, field_line,
                                is_reply_id, replies_folder, reply_anchor, reply_target)
from ..content.forgotten import FORMER_COLLEAGUE, anonymise
from ..content.spans import MENTION, find_spans, line_of
from ..problems import ERROR, WARNING, Problem

ACCEPTED_POINTS = 3
RELATED_TOPICS = 6
UNANSWERED, ANSWERED, SOLVED = "unanswered", "answered", "solved"


@dataclass
class Topic:
    """A topic: a tag used by published documents, or described by a topic file."""

    tag: str
    title: str
    aliases: list[str] = field(default_factory=list)
    facilitators: list[str] = field(default_factory=list)
    description: str = ""
    path: str | None = None  # the topic file, if any
    documents: list[str] = field(default_factory=list)  # ids, newest first
    replies: list[str] = field(default_factory=list)  # reply ids, newest first (for the topic's feeds)
    experts: list[tuple[str, int]] = field(default_factory=list)  # (handle, score), best first
    related: list[str] = field(default_factory=list)  # tags, most shared documents first


@dataclass
class Thread:
    """A published question with its published answers in reading order."""

    id: str
    answers: list[str] = field(default_factory=list)
    accepted: str | None = None  # the accepted answer's id

    @property
    def state(self) -> str:
        if self.accepted:
            return SOLVED
        return ANSWERED if self.answers else UNANSWERED


@dataclass
class Graph:
    """The derived knowledge graph of a repository's published content."""

    documents: dict[str, Document]  # published only, newest first
    people: dict[str, Person]
    topics: dict[str, Topic]  # most documents first
    threads: dict[str, Thread]  # question id → thread, newest question first
    topics_of: dict[str, list[str]]  # document id → canonical tags
    mentions_of: dict[str, list[str]]  # document id → known handles mentioned
    useful: dict[str, int]  # document id → counted votes
    voters: dict[str, list[str]]  # document id → handles who found it useful
    votes_by: dict[str, list[str]]  # handle → document ids they voted for
    vote_dates: dict[tuple[str, str], object]  # (voter, target) → the date on the counted vote's line, or None
    by_author: dict[str, list[str]]  # handle → document ids, newest first
    mentioned_in: dict[str, list[str]]  # handle → document and reply ids, newest first
    expertise: dict[str, dict[str, int]]  # handle → {tag: earned score}
    aliases: dict[str, str]  # alias → canonical tag
    replies: dict[str, Document] = field(default_factory=dict)  # published replies, newest first
    replies_of: dict[str, list[str]] = field(default_factory=dict)  # document id → reply ids, oldest first
    replies_by: dict[str, list[str]] = field(default_factory=dict)  # handle → reply ids, newest first
    problems: list[Problem] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)  # path → reason, for documents not published
    forgotten: frozenset = frozenset()  # hashes from forgotten.txt (wol/content/forgotten.py), never handles
    attachments: dict = field(default_factory=dict)  # path → Attachment: files documents may link to
    sources: dict = field(default_factory=dict)  # path → digest of the file's bytes, where it was read from disk

    def item(self, item_id: str) -> Document | None:
        """A published document or reply by id."""
        return self.documents.get(item_id) or self.replies.get(item_id)

    @property
    def votable(self):
        """Documents and replies in one mapping (what a vote may name)."""
        return ChainMap(self.documents, self.replies)

    def canonical(self, tag: str) -> str:
        return self.aliases.get(tag, tag)

    def url_of(self, doc_id: str) -> str:
        """Site-relative URL (no leading slash) of a document, a person or a topic."""
        return url_of(doc_id)

    def earned(self, handle: str) -> list[tuple[str, int]]:
        """(tag, score) a person earned, best first."""
        scores = self.expertise.get(handle, {})
        return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))


def url_of(doc_id: str) -> str:
    """`posts/2026/x` → `posts/2026/x/`; an answer or a reply → its page and anchor."""
    if is_reply_id(doc_id):
        return url_of(reply_target(doc_id)).split("#", 1)[0] + "#" + reply_anchor(doc_id)
    if "/answers/" in doc_id:
        question, name = doc_id.split("/answers/", 1)
        return f"{question}/#{name}"
    return f"{doc_id}/"


def build_graph(content: Content) -> Graph:
    """Derive the whole graph, and the problems only the whole can show."""
    content = anonymise(content)  # people who were forgotten: their documents stay, as by a former colleague
    problems: list[Problem] = []
    skipped = dict(content.invalid)
    people = dict(sorted(content.people.items()))
    aliases = _build_aliases(content.topic_files, people, problems)

    published = _find_published(content, people, problems, skipped)
    replies = _find_replies(content, published, problems, skipped)
    documents = {i: d for i, d in published.items() if d.kind != REPLY}
    everything = {**documents, **replies}
    topics_of = {doc_id: _topics(doc, aliases) for doc_id, doc in everything.items()}
    for doc_id, doc in documents.items():
        if doc.kind == ANSWER:
            inherited = topics_of.get(doc.question_id, [])
            topics_of[doc_id] = list(dict.fromkeys(topics_of[doc_id] + inherited))
    for reply_id, reply in replies.items():  # a reply is part of its target's conversation
        topics_of[reply_id] = list(dict.fromkeys(topics_of[reply_id] + topics_of[reply.target_id]))
    mentions_of = _find_mentions(content, everything, people, problems)
    useful, voters, votes_by, vote_dates = _count_votes(content, everything, people, problems)
    threads = _build_threads(documents, useful, problems, content)

    newest = sorted(everything, key=lambda i: (everything[i].date, i), reverse=True)
    order = [i for i in newest if i in documents]  # the same order, sorted once
    documents = {i: documents[i] for i in order}
    replies = {i: replies[i] for i in newest if i in replies}
    by_author, replies_by, mentioned_in = defaultdict(list), defaultdict(list), defaultdict(list)
    replies_of = defaultdict(list)
    for doc_id in newest:
        (replies_by if doc_id in replies else by_author)[everything[doc_id].author].append(doc_id)
        for handle in mentions_of[doc_id]:
            mentioned_in[handle].append(doc_id)
    for reply_id in reversed(list(replies)):  # oldest first under what they answer
        replies_of[replies[reply_id].target_id].append(reply_id)
    threads = {q: threads[q] for q in order if q in threads}

    expertise = _earn_expertise(everything, topics_of, useful, threads)
    topics = _build_topics(content.topic_files, documents, topics_of, expertise)
    for reply_id in replies:
        for tag in topics_of[reply_id]:
            if tag in topics:
                topics[tag].replies.append(reply_id)
    return Graph(documents=documents, people=people, topics=topics, threads=threads,
                 topics_of=topics_of, mentions_of=mentions_of, useful=useful, voters=voters,
                 votes_by=votes_by, vote_dates=vote_dates, by_author=dict(by_author), mentioned_in=dict(mentioned_in),
                 expertise=expertise, aliases=aliases, replies=replies, replies_of=dict(replies_of),
                 replies_by=dict(replies_by), problems=problems, skipped=skipped,
                 forgotten=content.forgotten, attachments=content.attachments, sources=content.sources)


def _build_aliases(topic_files: dict[str, TopicFile], people, problems) -> dict[str, str]:
    aliases: dict[str, str] = {}
    for tag, topic in sorted(topic_files.items()):
        for alias in topic.aliases:
            if alias == tag:
                continue
            if alias in topic_files:
                problems.append(Problem(topic.path, field_line(topic, "aliases"), ERROR, "alias-duplicate",
                                        f"the alias `{alias}` is already a topic of its own (topics/{alias}.md)"))
            elif alias in aliases:
                problems.append(Problem(topic.path, field_line(topic, "aliases"), ERROR, "alias-duplicate",
                                        f"the alias `{alias}` is already an alias of `{aliases[alias]}`"))
            else:
                aliases[alias] = tag
        for handle in topic.facilitators:
            if handle not in people:
                problems.append(Problem(topic.path, field_line(topic, "facilitators"), ERROR, "facilitator-unknown",
                                        f"the facilitator `{handle}` has no profile (content/people/{handle}.md)"))
    return aliases


def _find_published(content: Content, people, problems, skipped) -> dict[str, Document]:
    """Documents that are valid, not drafts, by known authors, and (answers) under a published question."""
    published = {}
    for doc_id, doc in content.documents.items():
        if doc.author not in people and doc.author != FORMER_COLLEAGUE:
            problems.append(Problem(doc.path, field_line(doc, "author"), ERROR,
                                    "author-unknown",
                                    f"the author `{doc.author}` has no profile (content/people/{doc.author}.md)"))
            skipped[doc.path] = f"unknown author `{doc.author}`"
            continue
        if not doc.draft:
            published[doc_id] = doc
    for doc_id, doc in list(published.items()):
        if doc.kind == ANSWER:
            question = content.documents.get(doc.question_id)
            if question is None:
                problems.append(Problem(doc.path, 1, ERROR, "question-missing",
                                        f"answers a question that does not exist ({doc.question_id}/index.md)"))
                skipped[doc.path] = "its question does not exist"
                del published[doc_id]
            elif doc.question_id not in published:
                del published[doc_id]  # the question is a draft or invalid: the answer waits with it
    return published


def _find_replies(content: Content, published, problems, skipped) -> dict[str, Document]:
    """Published replies whose target is published; a reply to nothing (or to a reply) is an error."""
    replies = {}
    for reply_id, reply in published.items():
        if reply.kind != REPLY:
            continue
        target_id = reply.target_id
        if is_reply_id(target_id):
            problems.append(Problem(reply.path, 1, ERROR, "reply-to-reply",
                                    f"replies are one level deep: put it in "
                                    f"{replies_folder(reply_target(target_id))}/ and mention whom you answer"))
            skipped[reply.path] = "a reply to a reply"
        elif target_id not in content.documents:
            prefix = reply.path[: len(reply.path) - len(reply.id) - len(".md")]  # `content/`
            if not {f"{prefix}{target_id}.md", f"{prefix}{target_id}/index.md"} & content.invalid.keys():
                problems.append(Problem(reply.path, 1, ERROR, "reply-target-missing",
                                        f"replies to `{target_id}`, which does not exist "
                                        f"(a reply lives beside what it answers: see docs/replies.md)"))
                skipped[reply.path] = "what it replies to does not exist"
        elif target_id in published:
            replies[reply_id] = reply
        # else: the target is a draft, or waits with its question: the reply waits with it
    return replies


def _topics(doc: Document, aliases: dict[str, str]) -> list[str]:
    return list(dict.fromkeys(aliases.get(t, t) for t in doc.hashtags + doc.tags))


def _find_mentions(content: Content, documents, people, problems) -> dict[str, list[str]]:
    mentions_of = {}
    items = list(content.documents.values()) + list(content.people.values())
    for item in items:
        unknown = [h for h in item.mentions if h not in people]
        if unknown:
            for span in find_spans(item.body):
                if span.kind == MENTION and span.value in unknown:
                    line = item.body_line + line_of(item.body, span.start) - 1
                    problems.append(Problem(item.path, line, WARNING, "mention-unknown",
                                            f"@{span.raw} is nobody's handle: it stays plain text "
                                            f"(people are at content/people/<handle>.md)"))
    for doc_id, doc in documents.items():
        mentions_of[doc_id] = [h for h in doc.mentions if h in people]
    return mentions_of


def judge_vote(vote, documents, people, seen) -> tuple[str, str] | None:
    """Why a vote does not count, as (problem code, message), or None when it counts: the one copy of the rules.

    `seen`: the (voter, target) pairs already counted.
    """
    if vote.voter not in people:
        return "vote-voter-unknown", f"`{vote.voter}` has no profile, so these votes do not count"
    target = documents.get(vote.target)
    if target is None:
        return ("vote-target-missing",
                f"`{vote.target}` is not a published document, so this vote does not count")
    if target.author == vote.voter:
        return ("vote-self", f"`{vote.target}` is your own {target.kind}: votes are for what helped you, "
                             f"so this one does not count")
    if (vote.voter, vote.target) in seen:
        return "vote-duplicate", f"you already voted for `{vote.target}`; your vote counts once"
    return None


def _count_votes(content: Content, documents, people, problems):
    seen = set()
    useful, voters, votes_by, dates = Counter(), defaultdict(list), defaultdict(list), {}
    unknown_voters = set()
    for vote in content.votes:
        why = judge_vote(vote, documents, people, seen)
        if why is not None:
            code, message = why
            if code == "vote-voter-unknown":
                if vote.voter in unknown_voters:
                    continue
                unknown_voters.add(vote.voter)
            problems.append(Problem(vote.path, vote.line, WARNING, code, message))
            continue
        seen.add((vote.voter, vote.target))
        useful[vote.target] += 1
        voters[vote.target].append(vote.voter)
        votes_by[vote.voter].append(vote.target)
        dates[(vote.voter, vote.target)] = vote.date
    return {d: useful.get(d, 0) for d in documents}, dict(voters), dict(votes_by), dates


def _build_threads(documents, useful, problems, content) -> dict[str, Thread]:
    threads = {d: Thread(d) for d, doc in documents.items() if doc.kind == QUESTION}
    for doc_id, doc in documents.items():
        if doc.kind == ANSWER and doc.question_id in threads:
            threads[doc.question_id].answers.append(doc_id)
    for question_id in content.documents:
        question = content.documents[question_id]
        if question.kind != QUESTION or not question.accepted:
            continue
        answer_id = f"{question_id}/answers/{question.accepted}"
        if answer_id not in content.documents:
            problems.append(Problem(question.path, field_line(question, "accepted"), ERROR, "accepted-unknown",
                                    f"`accepted: {question.accepted}` names no answer of this question "
                                    f"(expected {question.path.rsplit('/', 1)[0]}/answers/{question.accepted}.md)"))
        elif question_id in threads and answer_id in documents:
            threads[question_id].accepted = answer_id
    for thread in threads.values():
        thread.answers.sort(key=lambda a: (a != thread.accepted, -useful.get(a, 0), documents[a].date, a))
    return threads


def _earn_expertise(documents, topics_of, useful, threads) -> dict[str, dict[str, int]]:
    accepted = {t.accepted for t in threads.values() if t.accepted}
    scores: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for doc_id, doc in documents.items():
        points = useful.get(doc_id, 0)
        if doc_id in accepted and documents[doc.question_id].author != doc.author:
            points += ACCEPTED_POINTS
        if points and doc.author != FORMER_COLLEAGUE:
            for tag in topics_of[doc_id]:
                scores[doc.author][tag] += points
    return {handle: dict(tags) for handle, tags in scores.items()}


def _build_topics(topic_files, documents, topics_of, expertise) -> dict[str, Topic]:
    topics: dict[str, Topic] = {}
    for tag, tf in topic_files.items():
        topics[tag] = Topic(tag=tag, title=tf.title or tag, aliases=tf.aliases, facilitators=tf.facilitators,
                            description=tf.body.strip(), path=tf.path)
    co = defaultdict(Counter)  # tag → how many documents it shares with each tag (itself included)
    for doc_id in documents:  # newest first
        tags = topics_of[doc_id]  # each tag once (`_topics`)
        for tag in tags:
            topics.setdefault(tag, Topic(tag=tag, title=tag)).documents.append(doc_id)
            co[tag].update(tags)
    experts_of = defaultdict(list)  # tag → [(handle, points)]: one pass over the people, not one per topic
    for handle, scores in expertise.items():
        for tag, points in scores.items():
            if points:
                experts_of[tag].append((handle, points))
    for tag, topic in topics.items():
        topic.experts = sorted(experts_of.get(tag, ()), key=lambda hs: (-hs[1], hs[0]))
        shared = ((t, n) for t, n in co[tag].items() if t != tag)
        topic.related = [t for t, _ in heapq.nsmallest(RELATED_TOPICS, shared, key=lambda kv: (-kv[1], kv[0]))]
    return dict(sorted(topics.items(), key=lambda kv: (-len(kv[1].documents), kv[0])))
