"""Figures + Verdict → the /health/ page and the "What wol publishes about you" page, as a Staged.

Aggregates only: no person is ranked or counted by activity. The only people
named are those the suggestion asks for help, for their *earned* expertise
or their role as facilitators, as the topic pages already show them.
"""

from __future__ import annotations

import html

from ..stage import Staged
from ..stage.links import href, href_to, person_page, topic_page
from ..stage.text import StagedPage, escape_md, render_page
from .charts import render_bar_chart, render_pair_chart
from .figures import TOP_SHARE, UNANSWERED_DAYS, Figures
from .quadrant import (BROAD_CONTRIBUTOR_SHARE, FLOOD_NO_TOPIC_SHARE, NARROW_TOP_SHARE, TITLES,
                       USEFUL_ANSWER_RATE, USEFUL_VOTED_SHARE, Plain, Verdict, pct, suggest)
from .report import figure_rows

HEALTH_PAGE = "health/index.md"
PRIVACY_PAGE = "about/privacy.md"


def stage_health(graph, settings, figures: Figures, verdict: Verdict) -> Staged:
    """The two pages, for `stage_site(..., extras=[...])`."""
    return Staged(pages={HEALTH_PAGE: render_health_page(graph, figures, verdict),
                         PRIVACY_PAGE: render_privacy_page(settings)})


class _Links(Plain):
    """Names things in the suggestion as links relative to the health page."""

    def __init__(self, graph):
        self.graph = graph

    def person(self, handle):
        person = self.graph.people.get(handle)
        return f"[{escape_md(person.name)}]({href(HEALTH_PAGE, person_page(handle))})" if person else escape_md(handle)

    def topic(self, tag):
        topic = self.graph.topics.get(tag)
        return f"[#{escape_md(tag)}]({href(HEALTH_PAGE, topic_page(tag))})" if topic else f"#{escape_md(tag)}"

    def document(self, graph, doc_id):
        doc = graph.documents[doc_id]
        return f"[{escape_md(doc.title or doc_id)}]({href_to(HEALTH_PAGE, doc_id)}) ({doc.date.date().isoformat()})"


def render_health_page(graph, f: Figures, v: Verdict) -> StagedPage:
    window = f"documents since {f.since[:10]}" if f.since else "all documents"
    blocks = [
        "# Health of the network",
        f"*Measured on {f.now[:10]} over {window}. Aggregates only: nobody is ranked by activity. "
        f"[What wol publishes about you]({href(HEALTH_PAGE, PRIVACY_PAGE)}).*",
        f"## Verdict: {v.title}",
        f"**{v.summary}**",
        "\n".join(f"- {'✓' if r.ok else '✗'} {r.text}" for r in v.reasons),
        _quadrant_table(v),
        "## Suggestion for the facilitators",
        suggest(graph, f, v, _Links(graph)),
        "## Figures",
        _figure_tables(f),
        "## Activity over time",
        _activity_chart(f),
        "## Concentration",
        _concentration_chart(f),
        "## Answer times",
        _answer_chart(f),
        "## Help across teams",
        _team_chart(f),
        "## How these are measured",
        _method(f),
    ]
    meta = {"title": "Health of the network", "description": f"{v.title}: {v.summary}",
            "wol_kind": "health", "hide": ["navigation"]}
    return render_page(meta, blocks)


def _quadrant_table(v: Verdict) -> str:
    cell = {q: (f"<strong>{t}</strong>" if q == v.quadrant else t) for q, t in TITLES.items()}
    return ('<table><thead><tr><th></th><th>few take part</th><th>many take part</th></tr></thead>'
            f'<tbody><tr><th>useful</th><td>{cell["theatre"]}</td><td>{cell["honey-apiary"]}</td></tr>'
            f'<tr><th>not useful</th><td>{cell["desert"]}</td><td>{cell["flood-room"]}</td></tr></tbody></table>')


def _figure_tables(f: Figures) -> str:
    out = []
    for section, items in figure_rows(f):
        rows = "".join(f"<tr><td>{html.escape(label)}</td><td>{html.escape(value)}</td></tr>" for label, value in items)
        out.append(f'<table><thead><tr><th>{html.escape(section)}</th><th></th></tr></thead>'
                   f"<tbody>{rows}</tbody></table>")
    return "\n\n".join(out)


def _figure(svg: str, caption: str) -> str:
    return f'<figure class="wol-chart">{svg}<figcaption>{html.escape(caption)}</figcaption></figure>'


def _activity_chart(f: Figures) -> str:
    if not f.months:
        return "*No activity yet.*"
    months = f.months[-24:]
    svg = render_bar_chart(
        "People contributing each month",
        "Share of people with a profile who wrote, answered or voted, per month: "
        + ", ".join(f"{m.month} {pct(m.share)}" for m in months),
        [m.month for m in months], [round(m.share * 100) for m in months],
        fmt=lambda x: f"{x}%", max_value=100, slug="activity")
    docs = render_bar_chart(
        "Documents written each month",
        "Posts, questions and answers written per month: " + ", ".join(f"{m.month} {m.documents}" for m in months),
        [m.month for m in months], [m.documents for m in months], slug="documents")
    return (_figure(svg, "Share of people who wrote, answered or voted, by month.") + "\n\n"
            + _figure(docs, "Posts, questions and answers written, by month."))


def _concentration_chart(f: Figures) -> str:
    if not f.concentration:
        return "*Nobody has written anything yet.*"
    svg = render_bar_chart(
        "Share of documents written by the most active contributors",
        "The most active 10% of contributors wrote " + pct(f.top_share) + " of documents; "
        + ", ".join(f"the most active {p}% wrote {pct(s)}" for p, s in f.concentration),
        [f"top {p}%" for p, _ in f.concentration], [round(s * 100) for _, s in f.concentration],
        fmt=lambda x: f"{x}%", max_value=100, slug="concentration")
    return _figure(svg, f"Share of documents written by the most active X% of the {f.contributors} people who wrote; "
                        f"an even network climbs in a straight line.")


def _answer_chart(f: Figures) -> str:
    if not f.answered:
        return "*No question has an answer yet.*"
    svg = render_bar_chart(
        "Time to the first answer",
        "Answered questions by time to their first answer: " + ", ".join(f"{b}: {n}" for b, n in f.answer_times),
        [b for b, _ in f.answer_times], [n for _, n in f.answer_times], slug="answers")
    return _figure(svg, f"Questions by the time their first answer took ({f.answered} answered of {f.questions}).")


def _team_chart(f: Figures) -> str:
    if not f.teams:
        return "*No answer crossed a team yet (or teams are not set in profiles).*"
    rows = [(team, c["given"], c["received"]) for team, c in f.teams.items()]
    svg = render_pair_chart(
        "Answers given to and received from other teams",
        "; ".join(f"{t}: gave {g}, received {r}" for t, g, r in rows), rows,
        ("given to other teams", "received from other teams"), slug="teams")
    return _figure(svg, f"{f.cross_team_answers} of {f.team_answers} answers ({pct(f.cross_team_share)}) "
                        f"helped someone in another team.")


def _method(f: Figures) -> str:
    return "\n".join([
        f"- **Taking part** is broad when at least {pct(BROAD_CONTRIBUTOR_SHARE)} of people contribute in a typical "
        f"month (the median of the last six) and the most active {pct(TOP_SHARE)} of contributors write at most "
        f"{pct(NARROW_TOP_SHARE)} of the documents.",
        f"- **Useful** when at least {pct(USEFUL_VOTED_SHARE)} of documents were found useful by someone, at least "
        f"{pct(USEFUL_ANSWER_RATE)} of questions have an answer, and at most {pct(FLOOD_NO_TOPIC_SHARE)} of "
        f"documents have no topic.",
        f"- A question is left unanswered after {UNANSWERED_DAYS} days.",
        f"- {escape_md(f.history_note)}",
    ])


def render_privacy_page(settings) -> StagedPage:
    blocks = [
        "# What wol publishes about you",
        f"{escape_md(settings.site_name)} is built from plain files in a Git repository. Everything below is "
        "derived from what you write and is visible to everyone who can read this site or the repository. "
        "wol collects nothing else: no tracking, no reading history, no script counting your visits. "
        "If the web server keeps an access log, administrators may count reads per page from it "
        "(`wol stats --access-log`): totals per document, never who read what.",
        "## What you write",
        "- **Your profile** (`content/people/<handle>.md`): name, e-mail, and optionally title, team, location, "
        "declared expertise and the date you left. Your page shows them (not the e-mail once you have left).\n"
        "- **Your posts, questions and answers**, with your name and their date, on their own pages, in the feeds "
        "(the whole site's, each topic's, and yours), in the JSON API and in the search index.\n"
        "- **Your replies** and **the files you attach** (images, PDFs), with your name and date, under what "
        "they answer or beside the document they belong to, in the feeds of their topics and yours, and in the "
        "JSON API. Withdrawing a reply removes it from the site; Git's history keeps it.\n"
        "- **Your votes** (`content/votes/<handle>.txt`): which documents you found useful and when. The site shows "
        "only how many votes a document has, never who voted; the repository's file is readable by anyone who can "
        "read the repository.",
        "## What wol derives from it",
        "- **Mentions**: documents that mention you (`@handle`) are listed on your page.\n"
        "- **Your \"for you\" feed** (`people/<handle>/for-you.xml` and `.json`, linked from your page): what "
        "notifications would tell you, whatever your `notify:` says: documents that mention you, answers to your "
        "questions, your accepted answers and new questions routed to you, each saying why. It shows only what "
        "the site already shows (who was mentioned where, who answered whom), no votes, and none once you have "
        "left.\n"
        "- **Earned expertise**: per topic, one point for each vote on your contributions and three for each of your "
        "answers accepted by the asker. It appears on your page and on topic pages. Writing a lot earns nothing "
        "by itself.\n"
        "- **Your contributions** are listed on your page, newest first, with how many people found each useful.\n"
        f"- **The [health page]({href(PRIVACY_PAGE, HEALTH_PAGE)})** counts everyone together: shares, medians "
        "and team totals. It never ranks or lists people by activity. It may name people with earned expertise "
        "on a topic, as the topic pages do, to route an unanswered question to them.\n"
        "- **Git** keeps every change with its author's name and e-mail, as Git always does.",
        "## What wol sends you",
        _notify_text(settings),
        "## Your rights",
        "- **See and take your data**: `wol export <handle> DEST` writes all your documents, answers and votes as "
        "Markdown and everything derived from them as one JSON file.\n"
        "- **Be forgotten**: an administrator runs `wol forget <handle>`. It removes your profile and votes, shows "
        "your documents as by \"a former colleague\" (no name, no link), turns mentions of you into the same words, "
        "replaces your written-out name, and commits that as one change. It prints how to erase you from Git "
        "history too; wol never rewrites history by itself.\n"
        "- **Leave**: with `left:` in your profile, your content stays and your page shows you as a former colleague.",
    ]
    meta = {"title": "What wol publishes about you", "description": "What is derived and shown about a person, "
            "and how to export or erase it.", "wol_kind": "page"}
    return render_page(meta, blocks)


def _notify_text(settings) -> str:
    """What `wol notify` sends, and how to choose or stop it (the same words whether it is configured or not)."""
    cfg = settings.notify
    configured = ("This site sends notifications" + (" by e-mail" if cfg.smtp_host else "")
                  + (" and" if cfg.smtp_host and cfg.webhooks else "") + (" to chat channels" if cfg.webhooks else "")
                  + "." if cfg.channels_configured else
                  "This site sends no notifications yet (an administrator turns them on with `wol notify`).")
    return (f"{configured} When it does, they go to the e-mail address of your profile (or a chat webhook you "
            "name), and only for what concerns you:\n\n"
            "- someone **mentions** you, or **answers your question** (at once, by default);\n"
            "- your answer is **accepted**, or your writing is **found useful** (votes are counted together, "
            "never one message per vote, and never say who voted);\n"
            f"- a **new question** on a topic where you *earned* expertise (you are among the {cfg.experts} "
            "who earned most on it) or that you facilitate; if it is still unanswered after "
            f"{cfg.escalate_after_hours} hours, it goes to the next {cfg.escalate_experts}.\n\n"
            "Everything but mentions and answers comes in a **daily digest** by default, grouped by topic, each "
            "saying why it reached you. Nothing is sent to someone who has left. To choose, set `notify:` in your "
            "profile, per channel and kind: `immediate`, `daily`, `weekly` or `off`; `notify: off` stops "
            "everything. So that nothing is sent twice, wol records on the Git ref `refs/wol/notify` which event "
            "went to which handle; an update waiting for your digest, or for a retry, is kept there until it is "
            "sent.")
