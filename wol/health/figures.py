"""Graph + History (+ reads) → Figures: the health of the network, in aggregates only.

No figure here names a person: counts, shares and medians over everyone.
Replies count as participation (their authors are contributors that month),
never as documents: they change no document figure.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta, timezone
from statistics import median

from ..i18n import N_
from ..content.document import ANSWER, POST, QUESTION
from .history import History

UNANSWERED_DAYS = 14  # a question older than this with no answer is "left unanswered"
TOP_SHARE = 0.10  # concentration: share of documents written by the most active 10% of contributors
RECENT_MONTHS = 6  # participation: the median over the last six months of the window
SMALL_TEAM = 3  # teams of fewer people are shown together, so that no one person's help stands out
SMALL_TEAMS = N_("smaller teams")
ANSWER_TIME_BUCKETS = [  # (upper bound in hours, label) for the chart of answer times
    (1, N_("under 1 hour")), (24, N_("under 1 day")), (72, N_("1–3 days")), (168, N_("3–7 days")),
    (336, N_("1–2 weeks")), (math.inf, N_("over 2 weeks")),
]
ANSWER_BUCKETS = frozenset(label for _, label in ANSWER_TIME_BUCKETS)


@dataclass
class Month:
    """Activity in one calendar month."""

    month: str  # YYYY-MM
    people: int  # profiles of people who had not left by the month's start
    contributors: int  # of them, how many wrote, answered, replied or voted that month
    documents: int  # posts, questions and answers written that month (by anyone)
    votes: int  # counted votes cast that month (when their date is known)

    @property
    def share(self) -> float:
        return self.contributors / self.people if self.people else 0.0


@dataclass
class Figures:
    """Every figure of the health page and `wol stats`."""

    now: str
    since: str | None
    history: str  # full | shallow | none
    history_note: str
    people: int = 0
    documents: int = 0
    posts: int = 0
    questions: int = 0
    answers: int = 0
    replies: int = 0  # replies written in the window (participation, not documents)
    months: list[Month] = field(default_factory=list)
    contributor_share: float | None = None  # median monthly share over the last RECENT_MONTHS months
    contributors: int = 0  # distinct authors of the window's documents
    top_contributors: int = 0  # how many people make the most active 10%
    top_share: float | None = None  # share of the window's documents they wrote
    concentration: list[tuple[int, float]] = field(default_factory=list)  # (top X %, share of documents)
    answered: int = 0
    solved: int = 0
    answer_rate: float | None = None
    first_answer_hours: float | None = None  # median
    solution_hours: float | None = None  # median
    solutions_from_git: int = 0  # solutions timed by the commit that set `accepted`
    answer_times: list[tuple[str, int]] = field(default_factory=list)  # (bucket, questions)
    unanswered_old: list[str] = field(default_factory=list)  # question ids, oldest first
    team_answers: int = 0  # answers where both the asker's and the answerer's team are known
    cross_team_answers: int = 0
    cross_team_share: float | None = None
    teams: dict[str, dict[str, int]] = field(default_factory=dict)  # team → {given, received} across teams
    no_topic: int = 0
    no_topic_share: float | None = None
    topics: int = 0
    topics_without_facilitator: list[str] = field(default_factory=list)
    votes: int = 0  # counted votes on the window's documents
    useful_per_document: float | None = None
    voted_share: float | None = None  # share of documents someone found useful
    reads: int | None = None
    reads_per_document: float | None = None
    votes_per_read: float | None = None

    def as_dict(self) -> dict:
        data = asdict(self)
        data["months"] = [dict(asdict(m), share=round(m.share, 4)) for m in self.months]
        data["concentration"] = [{"top_percent": p, "share": s} for p, s in self.concentration]
        data["answer_times"] = [{"bucket": b, "questions": n} for b, n in self.answer_times]
        return data


def build_figures(graph, history: History | None = None, now: datetime | None = None,
                  since: datetime | None = None, vote_dates: dict | None = None,
                  reads: dict[str, int] | None = None) -> Figures:
    """Compute every figure over the documents dated on or after `since` (all when None).

    vote_dates: (voter, target) → date written in the votes file, when given;
    reads: document id → reads from an access log, when one was given.
    """
    history = history or History()
    now = _utc(now or datetime.now(timezone.utc))
    since = _utc(since) if since else None
    docs = {i: d for i, d in graph.documents.items() if since is None or d.date >= since}
    f = Figures(now=now.isoformat(), since=since.isoformat() if since else None,
                history=history.state, history_note=history.note)
    f.people = sum(1 for p in graph.people.values() if p.left is None or p.left > now.date())
    kinds = Counter(d.kind for d in docs.values())
    f.documents, f.posts, f.questions, f.answers = len(docs), kinds[POST], kinds[QUESTION], kinds[ANSWER]
    replies = [r for r in graph.replies.values() if since is None or r.date >= since]
    f.replies = len(replies)
    _participation(f, graph, docs, history, vote_dates or {}, now, since, replies)
    _concentration(f, docs)
    _questions(f, graph, docs, history, now)
    _cross_team(f, graph, docs)
    _topics(f, graph, docs)
    _usefulness(f, graph, docs, reads)
    return f


def _participation(f, graph, docs, history, vote_dates, now, since, replies=()):
    active = defaultdict(set)  # month → handles
    written, cast, replied = Counter(), Counter(), Counter()
    for doc in docs.values():
        key = _month(doc.date)
        written[key] += 1
        active[key].add(doc.author)
    for reply in replies:
        replied[_month(reply.date)] += 1
        active[_month(reply.date)].add(reply.author)
    for target, voters in graph.voters.items():
        for voter in voters:
            when = vote_dates.get((voter, target)) or history.voted_at.get((voter, target))
            if when is None:
                continue
            when = _utc(when)
            if since is not None and when < since:
                continue
            key = _month(when)
            cast[key] += 1
            active[key].add(voter)
    keys = set(written) | set(cast) | set(replied)
    if not keys:
        return
    first = _month(since) if since else min(keys)
    for key in _months_between(first, _month(now)):
        start = date(int(key[:4]), int(key[5:]), 1)
        present = {h for h, p in graph.people.items() if p.left is None or p.left >= start}
        f.months.append(Month(key, len(present), len(active[key] & present), written[key], cast[key]))
    recent = [m.share for m in f.months[-RECENT_MONTHS:] if m.people]
    f.contributor_share = median(recent) if recent else None


def _concentration(f, docs):
    counts = sorted(Counter(d.author for d in docs.values()).values(), reverse=True)
    f.contributors = len(counts)
    if not counts:
        return
    total = sum(counts)
    f.top_contributors = max(1, math.ceil(len(counts) * TOP_SHARE))
    f.top_share = sum(counts[: f.top_contributors]) / total
    for percent in range(10, 101, 10):
        k = max(1, math.ceil(len(counts) * percent / 100))
        f.concentration.append((percent, sum(counts[:k]) / total))


def _questions(f, graph, docs, history, now):
    firsts, solutions, buckets = [], [], Counter()
    old_unanswered = []
    for q_id, thread in graph.threads.items():
        question = docs.get(q_id)
        if question is None:
            continue
        if not thread.answers:
            if now - question.date > timedelta(days=UNANSWERED_DAYS):
                old_unanswered.append((question.date, q_id))
            continue
        f.answered += 1
        first = min(graph.documents[a].date for a in thread.answers)
        hours = max(0.0, (first - question.date).total_seconds() / 3600)
        firsts.append(hours)
        buckets[next(label for bound, label in ANSWER_TIME_BUCKETS if hours < bound)] += 1
        if thread.accepted:
            f.solved += 1
            when = history.accepted_at.get(q_id)
            if when is not None:
                f.solutions_from_git += 1
            else:
                when = graph.documents[thread.accepted].date
            solutions.append(max(0.0, (when - question.date).total_seconds() / 3600))
    if f.questions:
        f.answer_rate = f.answered / f.questions
    f.first_answer_hours = median(firsts) if firsts else None
    f.solution_hours = median(solutions) if solutions else None
    f.answer_times = [(label, buckets[label]) for _, label in ANSWER_TIME_BUCKETS]
    f.unanswered_old = [q for _, q in sorted(old_unanswered)]


def _cross_team(f, graph, docs):
    teams = defaultdict(lambda: {"given": 0, "received": 0})
    for doc in docs.values():
        if doc.kind != ANSWER:
            continue
        asker = graph.people.get(graph.documents[doc.question_id].author)
        answerer = graph.people.get(doc.author)
        if not (asker and answerer and asker.team and answerer.team):
            continue
        f.team_answers += 1
        if asker.team != answerer.team:
            f.cross_team_answers += 1
            teams[answerer.team]["given"] += 1
            teams[asker.team]["received"] += 1
    if f.team_answers:
        f.cross_team_share = f.cross_team_answers / f.team_answers
    size = Counter(p.team for p in graph.people.values() if p.team)
    shown = defaultdict(lambda: {"given": 0, "received": 0})
    for team, counts in teams.items():
        name = team if size[team] >= SMALL_TEAM else SMALL_TEAMS
        shown[name]["given"] += counts["given"]
        shown[name]["received"] += counts["received"]
    f.teams = {t: shown[t] for t in sorted(shown, key=lambda t: (t == SMALL_TEAMS, t))}


def _topics(f, graph, docs):
    f.no_topic = sum(1 for i in docs if not graph.topics_of.get(i))
    if docs:
        f.no_topic_share = f.no_topic / len(docs)
    f.topics = len(graph.topics)
    f.topics_without_facilitator = sorted(t for t, topic in graph.topics.items() if not topic.facilitators)


def _usefulness(f, graph, docs, reads):
    f.votes = sum(graph.useful.get(i, 0) for i in docs)
    if docs:
        f.useful_per_document = f.votes / len(docs)
        f.voted_share = sum(1 for i in docs if graph.useful.get(i, 0)) / len(docs)
    if reads is not None:
        paged = [i for i in docs if i in reads]
        f.reads = sum(reads[i] for i in paged)
        if paged:
            f.reads_per_document = f.reads / len(paged)
        if f.reads:
            f.votes_per_read = f.votes / f.reads


def _month(when) -> str:
    return f"{when.year:04d}-{when.month:02d}"


def _months_between(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:])
    out = []
    while f"{year:04d}-{month:02d}" <= last:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def _utc(when) -> datetime:
    if isinstance(when, date) and not isinstance(when, datetime):
        return datetime(when.year, when.month, when.day, tzinfo=timezone.utc)
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)
