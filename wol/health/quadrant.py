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

from ..i18n import ENGLISH, N_, Translator
from .figures import TOP_SHARE, UNANSWERED_DAYS, Figures

BROAD_CONTRIBUTOR_SHARE = 0.20
NARROW_TOP_SHARE = 0.50
USEFUL_VOTED_SHARE = 0.30
USEFUL_ANSWER_RATE = 0.60
FLOOD_NO_TOPIC_SHARE = 0.30
SUGGESTED_EXPERTS = 2

DESERT, FLOOD_ROOM, THEATRE, HONEY_APIARY = "desert", "flood-room", "theatre", "honey-apiary"
TITLES = {
    DESERT: N_("Desert"),
    FLOOD_ROOM: N_("Flood room"),
    THEATRE: N_("Theatre of one actor"),
    HONEY_APIARY: N_("Honey apiary"),
}
SUMMARIES = {
    DESERT: N_("Few people take part and little of what is there helps anyone."),
    FLOOD_ROOM: N_("Many people write, but the useful is drowned: little is found useful, answered or filed under a topic."),
    THEATRE: N_("What is written helps, but a handful write and everyone else only reads."),
    HONEY_APIARY: N_("Many people take part and what they write is useful: knowledge accumulates."),
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


def classify(f: Figures, t: Translator = ENGLISH) -> Verdict:
    """The quadrant, with every reason that decided it (said in the translator's language)."""
    reasons = []
    p = t.percent

    def check(axis, value, ok, good, bad):
        reasons.append(Reason(axis, ok, good if ok else bad))
        return ok

    share = f.contributor_share or 0.0
    broad = check("participation", share, share >= BROAD_CONTRIBUTOR_SHARE,
                  t.gettext("%(share)s of people contributed in a typical recent month (at least %(limit)s is broad)",
                            share=p(share), limit=p(BROAD_CONTRIBUTOR_SHARE)),
                  t.gettext("only %(share)s of people contributed in a typical recent month (below %(limit)s)",
                            share=p(share), limit=p(BROAD_CONTRIBUTOR_SHARE)))
    top = f.top_share if f.top_share is not None else 1.0
    broad &= check("participation", top, f.top_share is not None and top <= NARROW_TOP_SHARE,
                   t.gettext("the most active %(top)s of contributors wrote %(share)s of documents (at most %(limit)s "
                             "is broad)", top=p(TOP_SHARE), share=p(top), limit=p(NARROW_TOP_SHARE)),
                   (t.gettext("the most active %(top)s of contributors wrote %(share)s of documents (more than "
                              "%(limit)s)", top=p(TOP_SHARE), share=p(top), limit=p(NARROW_TOP_SHARE))
                    if f.top_share is not None else t.gettext("nobody has written anything yet")))
    voted = f.voted_share or 0.0
    useful = check("usefulness", voted, voted >= USEFUL_VOTED_SHARE,
                   t.gettext("%(share)s of documents were found useful by someone (at least %(limit)s)",
                             share=p(voted), limit=p(USEFUL_VOTED_SHARE)),
                   t.gettext("only %(share)s of documents were found useful by someone (below %(limit)s)",
                             share=p(voted), limit=p(USEFUL_VOTED_SHARE)))
    if f.answer_rate is not None:
        useful &= check("usefulness", f.answer_rate, f.answer_rate >= USEFUL_ANSWER_RATE,
                        t.gettext("%(share)s of questions have an answer (at least %(limit)s)",
                                  share=p(f.answer_rate), limit=p(USEFUL_ANSWER_RATE)),
                        t.gettext("only %(share)s of questions have an answer (below %(limit)s)",
                                  share=p(f.answer_rate), limit=p(USEFUL_ANSWER_RATE)))
    no_topic = f.no_topic_share if f.no_topic_share is not None else 0.0
    useful &= check("usefulness", no_topic, no_topic <= FLOOD_NO_TOPIC_SHARE,
                    t.gettext("%(share)s of documents have no topic (at most %(limit)s)",
                              share=p(no_topic), limit=p(FLOOD_NO_TOPIC_SHARE)),
                    t.gettext("%(share)s of documents have no topic (more than %(limit)s)",
                              share=p(no_topic), limit=p(FLOOD_NO_TOPIC_SHARE)))
    quadrant = {(False, False): DESERT, (True, False): FLOOD_ROOM,
                (False, True): THEATRE, (True, True): HONEY_APIARY}[(broad, useful)]
    return Verdict(quadrant, t.gettext(TITLES[quadrant]), t.gettext(SUMMARIES[quadrant]), broad, useful, reasons)


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


def suggest(graph, f: Figures, verdict: Verdict, say=None, t: Translator = ENGLISH) -> str:
    """One concrete thing the facilitators can do next; names only earned experts and facilitators."""
    say = say or Plain()
    if f.unanswered_old:
        lead = t.ngettext("%(n)s question has waited more than %(days)s days for an answer",
                          "%(n)s questions have waited more than %(days)s days for an answer",
                          len(f.unanswered_old), days=t.number(UNANSWERED_DAYS))
        return _route_question(graph, f.unanswered_old[0], lead, say, t)
    if not verdict.useful and f.no_topic_share and f.no_topic_share > FLOOD_NO_TOPIC_SHARE:
        untagged = [i for i in graph.documents if not graph.topics_of.get(i)]
        return t.ngettext("%(n)s document has no topic, so nobody following a topic sees it. Start with the oldest, "
                          "%(document)s: add a hashtag or `tags:` so it reaches its readers.",
                          "%(n)s documents have no topic, so nobody following a topic sees them. Start with the "
                          "oldest, %(document)s: add a hashtag or `tags:` so it reaches its readers.",
                          f.no_topic, document=say.document(graph, untagged[-1]))
    lonely = [t_ for t_ in f.topics_without_facilitator if graph.topics[t_].documents]
    if lonely:
        tag = lonely[0]
        experts = [h for h, _ in graph.topics[tag].experts[:SUGGESTED_EXPERTS]]
        values = dict(topic=say.topic(tag), file=say.code(f"content/topics/{tag}.md"))
        count = len(graph.topics[tag].documents)
        if experts:
            who = t.ngettext("%(people)s earned expertise there and could look after it",
                             "%(people)s earned expertise there and could look after it",
                             len(experts), people=_people(experts, say, t))
            return t.ngettext("%(topic)s has %(n)s document and no facilitator; %(who)s (add `facilitators:` to "
                              "%(file)s).",
                              "%(topic)s has %(n)s documents and no facilitator; %(who)s (add `facilitators:` to "
                              "%(file)s).", count, who=who, **values)
        return t.ngettext("%(topic)s has %(n)s document and no facilitator (add `facilitators:` to %(file)s).",
                          "%(topic)s has %(n)s documents and no facilitator (add `facilitators:` to %(file)s).",
                          count, **values)
    unanswered = [q for q, thread in graph.threads.items() if not thread.answers]
    if unanswered:
        lead = t.ngettext("%(n)s question waits for an answer", "%(n)s questions wait for an answer", len(unanswered))
        return _route_question(graph, unanswered[-1], lead, say, t)
    if not verdict.broad:
        return t.gettext("A few people write most of the documents. Ask the people who vote to turn one thing they "
                         "learned this month into a short post or an answer.")
    return t.gettext("Nothing urgent: keep answering, voting for what helped you, and tagging what you write.")


def _route_question(graph, q_id: str, lead: str, say, t: Translator) -> str:
    question = graph.documents[q_id]
    experts, topic = [], None
    for tag in graph.topics_of.get(q_id, []):
        topic = graph.topics.get(tag)
        experts = [h for h, _ in topic.experts[:SUGGESTED_EXPERTS] if h != question.author] if topic else []
        if experts:
            break
    document = say.document(graph, q_id)
    if topic:
        head = t.gettext("%(lead)s. The oldest on %(topic)s is %(document)s", lead=lead, topic=say.topic(topic.tag),
                         document=document)
    else:
        head = t.gettext("%(lead)s. The oldest is %(document)s", lead=lead, document=document)
    if experts:
        return t.ngettext("%(head)s: ask %(people)s, who earned expertise in %(topic)s.",
                          "%(head)s: ask %(people)s, who earned expertise in %(topic)s.", len(experts), head=head,
                          people=_people(experts, say, t), topic=say.topic(topic.tag))
    if topic and topic.facilitators:
        return t.ngettext("%(head)s: its facilitator, %(people)s, could find someone to answer it.",
                          "%(head)s: its facilitators, %(people)s, could find someone to answer it.",
                          len(topic.facilitators), head=head, people=_people(topic.facilitators, say, t))
    return t.gettext("%(head)s: nobody has earned expertise on its topics yet; find someone who knows and ask them.",
                     head=head)


def _people(handles, say, t: Translator) -> str:
    """`a`, `a and b`, `a, b and c` in the locale's own way of listing."""
    return t.list([say.person(h) for h in handles])


def pct(x: float | None) -> str:
    return "—" if x is None else f"{round(x * 100)}%"

