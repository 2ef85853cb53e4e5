"""Figures → Verdict: which of the four ways a network lives or dies this wiki is taking.

Two questions, each answered by figures against thresholds (named below and
stated in docs/health.md):

- Who takes part? *Broad* when at least BROAD_CONTRIBUTOR_SHARE of people
  contribute in a typical recent month AND the most active 10% of
  contributors write at most NARROW_TOP_SHARE of the documents.
- Is it useful? *Useful* when at least USEFUL_VOTED_SHARE of documents were
  found useful by someone, at least USEFUL_ANSWER_RATE of questions have an
  answer, and at most FLOOD_NO_TOPIC_SHARE of documents have no topic.

narrow + not useful → desert; broad + not useful → flood room;
narrow + useful → theatre of one actor; broad + useful → honey apiary.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .figures import TOP_SHARE, UNANSWERED_DAYS, Figures

BROAD_CONTRIBUTOR_SHARE = 0.20
NARROW_TOP_SHARE = 0.50
USEFUL_VOTED_SHARE = 0.30
USEFUL_ANSWER_RATE = 0.60
FLOOD_NO_TOPIC_SHARE = 0.30
SUGGESTED_EXPERTS = 2

DESERT, FLOOD_ROOM, THEATRE, HONEY_APIARY = "desert", "flood-room", "theatre", "honey-apiary"
TITLES = {
    DESERT: "Desert",
    FLOOD_ROOM: "Flood room",
    THEATRE: "Theatre of one actor",
    HONEY_APIARY: "Honey apiary",
}
SUMMARIES = {
    DESERT: "Few people take part and little of what is there helps anyone.",
    FLOOD_ROOM: "Many people write, but the useful is drowned: little is found useful, answered or filed under a topic.",
    THEATRE: "What is written helps, but a handful write and everyone else only reads.",
    HONEY_APIARY: "Many people take part and what they write is useful: knowledge accumulates.",
}


@dataclass
class Reason:
    """One figure measured against its threshold."""

    axis: str  # "participation" or "usefulness"
    ok: bool  # on the healthy side of the threshold
    text: str


@dataclass
class Verdict:
    quadrant: str
    title: str
    summary: str
    broad: bool
    useful: bool
    reasons: list[Reason] = field(default_factory=list)
    suggestion: str = ""

    def as_dict(self) -> dict:
        return {"quadrant": self.quadrant, "title": self.title, "summary": self.summary,
                "broad": self.broad, "useful": self.useful, "suggestion": self.suggestion,
                "reasons": [{"axis": r.axis, "ok": r.ok, "text": r.text} for r in self.reasons]}


def classify(f: Figures) -> Verdict:
    """The quadrant, with every reason that decided it."""
    reasons = []

    def check(axis, value, ok, good, bad):
        reasons.append(Reason(axis, ok, good if ok else bad))
        return ok

    share = f.contributor_share or 0.0
    broad = check("participation", share, share >= BROAD_CONTRIBUTOR_SHARE,
                  f"{pct(share)} of people contributed in a typical recent month (at least {pct(BROAD_CONTRIBUTOR_SHARE)} is broad)",
                  f"only {pct(share)} of people contributed in a typical recent month (below {pct(BROAD_CONTRIBUTOR_SHARE)})")
    top = f.top_share if f.top_share is not None else 1.0
    broad &= check("participation", top, f.top_share is not None and top <= NARROW_TOP_SHARE,
                   f"the most active {pct(TOP_SHARE)} of contributors wrote {pct(top)} of documents (at most {pct(NARROW_TOP_SHARE)} is broad)",
                   (f"the most active {pct(TOP_SHARE)} of contributors wrote {pct(top)} of documents (more than {pct(NARROW_TOP_SHARE)})"
                    if f.top_share is not None else "nobody has written anything yet"))
    voted = f.voted_share or 0.0
    useful = check("usefulness", voted, voted >= USEFUL_VOTED_SHARE,
                   f"{pct(voted)} of documents were found useful by someone (at least {pct(USEFUL_VOTED_SHARE)})",
                   f"only {pct(voted)} of documents were found useful by someone (below {pct(USEFUL_VOTED_SHARE)})")
    if f.answer_rate is not None:
        useful &= check("usefulness", f.answer_rate, f.answer_rate >= USEFUL_ANSWER_RATE,
                        f"{pct(f.answer_rate)} of questions have an answer (at least {pct(USEFUL_ANSWER_RATE)})",
                        f"only {pct(f.answer_rate)} of questions have an answer (below {pct(USEFUL_ANSWER_RATE)})")
    no_topic = f.no_topic_share if f.no_topic_share is not None else 0.0
    useful &= check("usefulness", no_topic, no_topic <= FLOOD_NO_TOPIC_SHARE,
                    f"{pct(no_topic)} of documents have no topic (at most {pct(FLOOD_NO_TOPIC_SHARE)})",
                    f"{pct(no_topic)} of documents have no topic (more than {pct(FLOOD_NO_TOPIC_SHARE)})")
    quadrant = {(False, False): DESERT, (True, False): FLOOD_ROOM,
                (False, True): THEATRE, (True, True): HONEY_APIARY}[(broad, useful)]
    return Verdict(quadrant, TITLES[quadrant], SUMMARIES[quadrant], broad, useful, reasons)


class Plain:
    """How a suggestion names things in the terminal; the health page passes one that makes links."""

    def person(self, handle: str) -> str:
        return f"@{handle}"

    def topic(self, tag: str) -> str:
        return f"#{tag}"

    def document(self, graph, doc_id: str) -> str:
        doc = graph.documents[doc_id]
        return f"\"{doc.title or doc_id}\" ({doc.date.date().isoformat()}, `{doc_id}`)"

    def code(self, text: str) -> str:
        return f"`{text}`"


def suggest(graph, f: Figures, verdict: Verdict, say=None) -> str:
    """One concrete thing the facilitators can do next; names only earned experts and facilitators."""
    say = say or Plain()
    if f.unanswered_old:
        n = len(f.unanswered_old)
        lead = f"{n} question{'s have' if n != 1 else ' has'} waited more than {UNANSWERED_DAYS} days for an answer"
        return _route_question(graph, f.unanswered_old[0], lead, say)
    if not verdict.useful and f.no_topic_share and f.no_topic_share > FLOOD_NO_TOPIC_SHARE:
        untagged = [i for i in graph.documents if not graph.topics_of.get(i)]
        return (f"{f.no_topic} documents have no topic, so nobody following a topic sees them. Start with the oldest, "
                f"{say.document(graph, untagged[-1])}: add a hashtag or `tags:` so it reaches its readers.")
    lonely = [t for t in f.topics_without_facilitator if graph.topics[t].documents]
    if lonely:
        tag = lonely[0]
        experts = [h for h, _ in graph.topics[tag].experts[:SUGGESTED_EXPERTS]]
        who = (f"; {_people(experts, say)} earned expertise there and could look after it" if experts else "")
        return (f"{say.topic(tag)} has {len(graph.topics[tag].documents)} documents and no facilitator{who} "
                f"(add `facilitators:` to {say.code(f'content/topics/{tag}.md')}).")
    unanswered = [q for q, t in graph.threads.items() if not t.answers]
    if unanswered:
        n = len(unanswered)
        return _route_question(graph, unanswered[-1], f"{n} question{'s wait' if n != 1 else ' waits'} for an answer", say)
    if not verdict.broad:
        return ("A few people write most of the documents. Ask the people who vote to turn one thing they "
                "learned this month into a short post or an answer.")
    return "Nothing urgent: keep answering, voting for what helped you, and tagging what you write."


def _route_question(graph, q_id: str, lead: str, say) -> str:
    question = graph.documents[q_id]
    experts, topic = [], None
    for tag in graph.topics_of.get(q_id, []):
        topic = graph.topics.get(tag)
        experts = [h for h, _ in topic.experts[:SUGGESTED_EXPERTS] if h != question.author] if topic else []
        if experts:
            break
    where = f" on {say.topic(topic.tag)}" if topic else ""
    head = f"{lead}. The oldest{where} is {say.document(graph, q_id)}"
    if experts:
        return f"{head}: ask {_people(experts, say)}, who earned expertise in {say.topic(topic.tag)}."
    if topic and topic.facilitators:
        return f"{head}: its facilitators, {_people(topic.facilitators, say)}, could find someone to answer it."
    return f"{head}: nobody has earned expertise on its topics yet; find someone who knows and ask them."


def _people(handles, say) -> str:
    names = [say.person(h) for h in handles]
    return " and ".join(names) if len(names) <= 2 else ", ".join(names[:-1]) + " and " + names[-1]


def pct(x: float | None) -> str:
    return "—" if x is None else f"{round(x * 100)}%"

