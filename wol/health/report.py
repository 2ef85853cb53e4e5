"""Figures + Verdict → what `wol stats` prints: a readable table, or JSON."""

from __future__ import annotations

import json

from ..i18n import ENGLISH, Translator
from .figures import TOP_SHARE, UNANSWERED_DAYS, Figures
from .quadrant import Verdict, pct


def figure_rows(f: Figures, t: Translator = ENGLISH) -> list[tuple[str, list[tuple[str, str]]]]:
    """The figures as (section, [(label, value)]), shared by the terminal and the health page."""
    n, p = t.number, t.percent

    def of(part, whole, share=None):
        text = t.gettext("%(part)s of %(whole)s", part=n(part), whole=n(whole))
        return text if share is None else t.gettext("%(value)s (%(share)s)", value=text, share=p(share))

    solution = hours(f.solution_hours, t)
    if f.solutions_from_git:
        solution = t.ngettext("%(time)s (%(n)s timed from Git)", "%(time)s (%(n)s timed from Git)",
                              f.solutions_from_git, time=solution)
    rows = [
        (t.gettext("Participation"), [
            (t.gettext("people (profiles, not left)"), n(f.people)),
            (t.gettext("people contributing in a typical recent month"), p(f.contributor_share)),
            (t.gettext("documents (posts, questions, answers)"),
             t.gettext("%(documents)s (%(posts)s, %(questions)s, %(answers)s)", documents=n(f.documents),
                       posts=n(f.posts), questions=n(f.questions), answers=n(f.answers))),
            (t.gettext("people who wrote them"), n(f.contributors)),
            (t.gettext("replies (participation, not documents)"), n(f.replies)),
            (t.ngettext("share written by the most active %(top)s (%(n)s person)",
                        "share written by the most active %(top)s (%(n)s people)", f.top_contributors,
                        top=p(TOP_SHARE)), p(f.top_share)),
        ]),
        (t.gettext("Questions"), [
            (t.gettext("answered"), of(f.answered, f.questions, f.answer_rate)),
            (t.gettext("solved (an answer accepted)"), n(f.solved)),
            (t.gettext("median time to the first answer"), hours(f.first_answer_hours, t)),
            (t.gettext("median time to a solution"), solution),
            (t.ngettext("unanswered for more than %(n)s day", "unanswered for more than %(n)s days", UNANSWERED_DAYS),
             n(len(f.unanswered_old))),
            (t.gettext("answers across teams"), of(f.cross_team_answers, f.team_answers, f.cross_team_share)),
        ]),
        (t.gettext("Topics and usefulness"), [
            (t.gettext("documents with no topic"),
             t.gettext("%(value)s (%(share)s)", value=n(f.no_topic), share=p(f.no_topic_share))),
            (t.gettext("topics with no facilitator"), of(len(f.topics_without_facilitator), f.topics)),
            (t.gettext("useful votes per document"), t.decimal(f.useful_per_document)),
            (t.gettext("documents someone found useful"), p(f.voted_share)),
        ]),
    ]
    if f.reads is not None:
        rows[-1][1].extend([
            (t.gettext("reads (from the access log)"), n(f.reads)),
            (t.gettext("reads per document page"), t.decimal(f.reads_per_document)),
            (t.gettext("useful votes per read"), t.decimal(f.votes_per_read, 3)),
        ])
    return rows


def render_table(f: Figures, v: Verdict, site_name: str = "wol") -> str:
    """A plain-text report for the terminal."""
    window = f"since {f.since[:10]}" if f.since else "all time"
    out = [f"{site_name}: health on {f.now[:10]} ({window})", "",
           f"Verdict: {v.title}. {v.summary}"]
    out += [f"  {'✓' if r.ok else '✗'} {r.text}" for r in v.reasons]
    out += ["", f"Suggestion for the facilitators: {v.suggestion}", ""]
    for section, items in figure_rows(f):
        out.append(section)
        width = max(len(label) for label, _ in items)
        out += [f"  {label.ljust(width)}  {value}" for label, value in items]
        out.append("")
    if f.months:
        out.append("Activity by month")
        out.append("  month    people  contributing  documents  votes")
        for m in f.months:
            out.append(f"  {m.month}  {m.people:6d}  {m.contributors:5d} ({pct(m.share):>4})  {m.documents:9d}  {m.votes:5d}")
        out.append("")
    out.append(f.history_note)
    return "\n".join(out) + "\n"


def render_json(f: Figures, v: Verdict) -> str:
    return json.dumps({"verdict": v.as_dict(), "figures": f.as_dict()}, indent=2, ensure_ascii=False) + "\n"


def hours(h: float | None, t: Translator = ENGLISH) -> str:
    """`25 min`, `3.5 h`, `2.1 days` (in the locale's words and decimals)."""
    if h is None:
        return "—"
    if h < 1:
        return t.gettext("%(minutes)s min", minutes=t.number(round(h * 60)))
    if h < 48:
        return t.gettext("%(hours)s h", hours=t.decimal(h, 1))
    return t.gettext("%(days)s days", days=t.decimal(h / 24, 1))
