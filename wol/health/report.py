"""Figures + Verdict → what `wol stats` prints: a readable table, or JSON."""

from __future__ import annotations

import json

from .figures import TOP_SHARE, UNANSWERED_DAYS, Figures
from .quadrant import Verdict, pct


def figure_rows(f: Figures) -> list[tuple[str, list[tuple[str, str]]]]:
    """The figures as (section, [(label, value)]), shared by the terminal and the health page."""
    rows = [
        ("Participation", [
            ("people (profiles, not left)", str(f.people)),
            ("people contributing in a typical recent month", pct(f.contributor_share)),
            ("documents (posts, questions, answers)", f"{f.documents} ({f.posts}, {f.questions}, {f.answers})"),
            ("people who wrote them", str(f.contributors)),
            ("replies (participation, not documents)", str(f.replies)),
            (f"share written by the most active {pct(TOP_SHARE)} ({f.top_contributors} people)", pct(f.top_share)),
        ]),
        ("Questions", [
            ("answered", f"{f.answered} of {f.questions} ({pct(f.answer_rate)})"),
            ("solved (an answer accepted)", str(f.solved)),
            ("median time to the first answer", hours(f.first_answer_hours)),
            ("median time to a solution", hours(f.solution_hours)
             + (f" ({f.solutions_from_git} timed from Git)" if f.solutions_from_git else "")),
            (f"unanswered for more than {UNANSWERED_DAYS} days", str(len(f.unanswered_old))),
            ("answers across teams", f"{f.cross_team_answers} of {f.team_answers} ({pct(f.cross_team_share)})"),
        ]),
        ("Topics and usefulness", [
            ("documents with no topic", f"{f.no_topic} ({pct(f.no_topic_share)})"),
            ("topics with no facilitator", f"{len(f.topics_without_facilitator)} of {f.topics}"),
            ("useful votes per document", number(f.useful_per_document)),
            ("documents someone found useful", pct(f.voted_share)),
        ]),
    ]
    if f.reads is not None:
        rows[-1][1].extend([
            ("reads (from the access log)", str(f.reads)),
            ("reads per document page", number(f.reads_per_document)),
            ("useful votes per read", number(f.votes_per_read, 3)),
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


def hours(h: float | None) -> str:
    if h is None:
        return "—"
    if h < 1:
        return f"{round(h * 60)} min"
    if h < 48:
        return f"{h:.1f} h"
    return f"{h / 24:.1f} days"


def number(x: float | None, digits: int = 2) -> str:
    return "—" if x is None else f"{x:.{digits}f}"
