"""Events → deliveries: who hears about each event, on which channel, how soon, and why. Pure.

A new question goes to the people with the most *earned* expertise on its topics (writing alone earns
none, so volume never routes) and to the topics' facilitators; still unanswered after the delay, to the
next experts. Nobody hears of what they did themselves, and nobody who has left hears anything.
"""

from __future__ import annotations

from bisect import insort
from dataclasses import dataclass

from ..content.parse import NOTIFY_KINDS
from ..derive.graph import Graph
from .events import ACCEPTED, ANSWER_KIND, MENTION, QUESTION_KIND, REPLY, USEFUL, Event
from . import wording as w

EMAIL, CHAT = "email", "chat"
IMMEDIATE, DAILY, WEEKLY, OFF = "immediate", "daily", "weekly", "off"
DEFAULT_MODES = {MENTION: IMMEDIATE, ANSWER_KIND: IMMEDIATE, REPLY: IMMEDIATE, ACCEPTED: DAILY, USEFUL: DAILY,
                 QUESTION_KIND: DAILY}
assert set(DEFAULT_MODES) == set(NOTIFY_KINDS)
FIRST = {ANSWER_KIND: 0, ACCEPTED: 0, MENTION: 1, REPLY: 1, USEFUL: 1, QUESTION_KIND: 2}  # which event of a document is told


@dataclass(frozen=True)
class Channels:
    """What the administrator configured: e-mail (SMTP) or not, and the names of the chat webhooks."""

    email: bool = False
    webhooks: frozenset = frozenset()


@dataclass(frozen=True)
class Delivery:
    """One event for one recipient on one channel."""

    id: str  # `<event id>><recipient>><channel>`: what the record of sent ids holds
    event: Event
    recipient: str  # a handle, or `#tag` for a topic's chat channel
    channel: str  # email | chat
    mode: str  # immediate | daily | weekly
    reason: w.Why  # why it reached them, said in the message (wording.say_why)
    topic: str  # the topic a digest lists it under ("" for none)
    address: str  # the e-mail address, or the webhook's name
    name: str = ""  # the person's name, for the To: line


def mode_of(person, channel: str, kind: str) -> str:
    """The person's choice for a kind on a channel (chat: only with a webhook named in their profile)."""
    choices = (person.notify or {}).get(channel)
    if channel == CHAT and not (choices and choices.get("webhook")):
        return OFF
    return (choices or {}).get(kind, DEFAULT_MODES[kind])


def rank_experts(graph: Graph, topics) -> list[tuple[str, int, str]]:
    """(handle, earned score over the topics, the topic they earned most on), best first; present people only."""
    totals: dict[str, int] = {}
    best: dict[str, tuple[int, str]] = {}
    for order, tag in enumerate(topics):
        topic = graph.topics.get(tag)
        for handle, score in (topic.experts if topic else []):
            totals[handle] = totals.get(handle, 0) + score
            if handle not in best or score > best[handle][0]:
                best[handle] = (score, tag)
    ranked = []
    for handle, total in totals.items():
        person = graph.people.get(handle)
        if person is not None and not person.has_left:
            ranked.append((handle, total, best[handle][1]))
    return sorted(ranked, key=lambda r: (-r[1], r[0]))


class ExpertRanking:
    """The first places of `rank_experts`, fast enough to route every question of a large site at once.

    Each topic's present experts are listed once per graph; a question's topics are then merged only as
    deep as needed (the threshold algorithm: stop when nobody not yet seen can rank above the last place).
    """

    def __init__(self, graph: Graph):
        self.graph = graph
        self._topics: dict[str, tuple[list, dict]] = {}

    def _topic(self, tag: str) -> tuple[list, dict]:
        if tag not in self._topics:
            topic, people = self.graph.topics.get(tag), self.graph.people
            ranked = [(h, s) for h, s in (topic.experts if topic else [])
                      if h in people and not people[h].has_left]  # best first, as Topic.experts
            self._topics[tag] = ranked, dict(ranked)
        return self._topics[tag]

    def top(self, topics, count: int) -> list[tuple[str, int, str]]:
        """`rank_experts(graph, topics)[:count]`."""
        lists = [self._topic(tag) for tag in topics]
        if len(lists) == 1:  # one topic: its own ranking (best first, equals by handle, as rank_experts sorts)
            return [(handle, score, topics[0]) for handle, score in lists[0][0][:count]]
        seen, top = set(), []  # top: the best (-total, handle) keys so far, at most count
        depth = 0
        while True:
            threshold, more = 0, False  # the most a person not yet seen can total
            for ranked, _ in lists:
                if depth < len(ranked):
                    more = True
                    handle, score = ranked[depth]
                    threshold += score
                    if handle not in seen:
                        seen.add(handle)
                        insort(top, (-sum(scores.get(handle, 0) for _, scores in lists), handle))
                        del top[count:]
            if not more or (len(top) == count and -top[-1][0] > threshold):
                break
            depth += 1
        return [(handle, -total, self._best(topics, handle)) for total, handle in top]

    def _best(self, topics, handle: str) -> str:
        """The topic the person earned most on (the first of equals), as rank_experts says."""
        best, where = 0, ""
        for tag in topics:
            score = self._topic(tag)[1].get(handle, 0)
            if score and (not where or score > best):
                best, where = score, tag
        return where


def find_recipients(events, graph: Graph, experts: int, escalate_experts: int,
                    escalate_after_hours: int = 0) -> list[tuple[Event, list[tuple[str, str, str]]]]:
    """(event, [(handle, reason, topic), …]) in the order events are told, whatever anyone's channels or choices.

    The routing rule itself, shared by `route` (what is sent) and each person's "for you" feed
    (wol/stage/foryou.py: what is read). Nobody hears of what they did, nobody who left hears anything,
    and a person hears of one document once: an answer or acceptance first, then a mention, then the routing.
    """
    told, out, ranking = set(), [], ExpertRanking(graph)
    for event in sorted(events, key=lambda e: FIRST.get(e.kind, 1)):
        recipients = []
        for handle, reason, topic in _recipients(event, graph, ranking, experts, escalate_experts,
                                                 escalate_after_hours):
            person = graph.people.get(handle)
            if person is None or person.has_left or handle == event.actor or (event.doc_id, handle) in told:
                continue
            told.add((event.doc_id, handle))
            recipients.append((handle, reason, topic))
        out.append((event, recipients))
    return out


def route(events, graph: Graph, experts: int, escalate_experts: int, channels: Channels,
          topic_chats: dict[str, str], escalate_after_hours: int = 0) -> list[Delivery]:
    """Every delivery the events call for, in event order (find_recipients); channels not configured are left out."""
    deliveries = []
    for event, recipients in find_recipients(events, graph, experts, escalate_experts, escalate_after_hours):
        for handle, reason, topic in recipients:
            person = graph.people[handle]
            if channels.email:
                mode = mode_of(person, EMAIL, event.kind)
                if mode != OFF:
                    deliveries.append(Delivery(f"{event.id}>{handle}>{EMAIL}", event, handle, EMAIL, mode,
                                               reason, topic, person.email, person.name))
            hook = ((person.notify or {}).get(CHAT) or {}).get("webhook", "")
            if hook in channels.webhooks:
                mode = mode_of(person, CHAT, event.kind)
                if mode != OFF:
                    deliveries.append(Delivery(f"{event.id}>{handle}>{CHAT}", event, handle, CHAT, mode,
                                               reason, topic, hook, person.name))
        if event.kind == QUESTION_KIND:
            for tag in event.topics:
                hook = topic_chats.get(tag)
                if hook and hook in channels.webhooks:
                    why = (w.Why(w.TOPIC_CHANNEL_ESCALATED, tag=tag, hours=escalate_after_hours) if event.escalated
                           else w.Why(w.TOPIC_CHANNEL, tag=tag))
                    deliveries.append(Delivery(f"{event.id}>#{tag}>{CHAT}", event, f"#{tag}", CHAT, IMMEDIATE,
                                               why, tag, hook))
    return deliveries


def _recipients(event: Event, graph: Graph, ranking: ExpertRanking, experts: int, escalate_experts: int,
                hours: int):
    """(handle, reason, topic) for an event, before preferences; may name the actor or former colleagues."""
    first = event.topics[0] if event.topics else ""
    if event.kind == MENTION:
        return [(event.subject, w.Why(w.MENTIONED, event.actor), first)]
    if event.kind == ANSWER_KIND:
        return [(event.subject, w.Why(w.ANSWERED, event.actor), first)]
    if event.kind == REPLY:
        return [(event.subject, w.Why(w.REPLIED, event.actor), first)]
    if event.kind == ACCEPTED:
        return [(event.subject, w.Why(w.ACCEPTED_ANSWER, event.actor), first)]
    if event.kind == USEFUL:
        return [(event.subject, w.Why(w.WROTE), first)]
    topics = list(event.topics)
    places = experts + (escalate_experts if event.escalated else 0) + 1  # one more: the asker may rank
    ranked = [r for r in ranking.top(topics, places) if r[0] != event.actor]
    if event.escalated:
        chosen = ranked[experts:experts + escalate_experts]
        return [(h, w.Why(w.EXPERT_ESCALATED, tag=tag, hours=hours), tag)
                for h, _, tag in chosen]
    out = [(h, w.Why(w.EXPERT, tag=tag), tag) for h, _, tag in ranked[:experts]]
    seen = {h for h, _, _ in out}
    for tag in topics:
        topic = graph.topics.get(tag)
        for handle in (topic.facilitators if topic else []):
            if handle not in seen:
                seen.add(handle)
                out.append((handle, w.Why(w.FACILITATOR, tag=tag), tag))
    return out
