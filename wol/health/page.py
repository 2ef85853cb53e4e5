"""Figures + Verdict → the /health/ page and the "What wol publishes about you" page, as a Staged.

Aggregates only: no person is ranked or counted by activity. The only people
named are those the suggestion asks for help, for their *earned* expertise
or their role as facilitators, as the topic pages already show them.
"""

from __future__ import annotations

import html
from datetime import date

from ..i18n import ENGLISH, Translator, translator
from ..stage import Staged
from ..stage.links import href, href_to, person_page, topic_page
from ..stage.text import StagedPage, escape_md, render_page
from .history import say_history
from .charts import render_bar_chart, render_pair_chart
from .figures import ANSWER_BUCKETS, SMALL_TEAMS, TOP_SHARE, UNANSWERED_DAYS, Figures
from .quadrant import (BROAD_CONTRIBUTOR_SHARE, FLOOD_NO_TOPIC_SHARE, NARROW_TOP_SHARE, TITLES,
                       USEFUL_ANSWER_RATE, USEFUL_VOTED_SHARE, Plain, Verdict, classify, suggest)
from .report import figure_rows

HEALTH_PAGE = "health/index.md"
PRIVACY_PAGE = "about/privacy.md"


def stage_health(graph, settings, figures: Figures, verdict: Verdict) -> Staged:
    """The two pages, for `stage_site(..., extras=[...])`, in the site's language (the verdict is said again in it)."""
    t = translator(settings.locale)
    said = classify(figures, t)
    return Staged(pages={HEALTH_PAGE: render_health_page(graph, figures, said, t),
                         PRIVACY_PAGE: render_privacy_page(settings, t)})


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


def render_health_page(graph, f: Figures, v: Verdict, t: Translator = ENGLISH) -> StagedPage:
    measured = (t.gettext("Measured on %(date)s over documents since %(since)s.", date=_day(f.now, t),
                          since=_day(f.since, t)) if f.since
                else t.gettext("Measured on %(date)s over all documents.", date=_day(f.now, t)))
    title = t.gettext("Health of the network")
    privacy = t.gettext("What wol publishes about you")
    blocks = [
        f"# {title}",
        f"*{measured} " + t.gettext("Aggregates only: nobody is ranked by activity.")
        + f" [{privacy}]({href(HEALTH_PAGE, PRIVACY_PAGE)}).*",
        "## " + t.gettext("Verdict: %(title)s", title=v.title),
        f"**{v.summary}**",
        "\n".join(f"- {'✓' if r.ok else '✗'} {r.text}" for r in v.reasons),
        _quadrant_table(v, t),
        "## " + t.gettext("Suggestion for the facilitators"),
        suggest(graph, f, v, _Links(graph), t),
        "## " + t.gettext("Figures"),
        _figure_tables(f, t),
        "## " + t.gettext("Activity over time"),
        _activity_chart(f, t),
        "## " + t.gettext("Concentration"),
        _concentration_chart(f, t),
        "## " + t.gettext("Answer times"),
        _answer_chart(f, t),
        "## " + t.gettext("Help across teams"),
        _team_chart(f, t),
        "## " + t.gettext("How these are measured"),
        _method(f, t),
    ]
    meta = {"title": title, "description": t.gettext("%(title)s: %(summary)s", title=v.title, summary=v.summary),
            "wol_kind": "health", "hide": ["navigation"]}
    return render_page(meta, blocks)


def _day(iso_moment: str, t: Translator) -> str:
    return t.date(date.fromisoformat(iso_moment[:10]))


def _quadrant_table(v: Verdict, t: Translator) -> str:
    cell = {q: (f"<strong>{html.escape(t.gettext(name))}</strong>" if q == v.quadrant else html.escape(t.gettext(name)))
            for q, name in TITLES.items()}
    head = [html.escape(x) for x in (t.gettext("few take part"), t.gettext("many take part"), t.gettext("useful"),
                                     t.gettext("not useful"))]
    return (f'<table><thead><tr><th></th><th>{head[0]}</th><th>{head[1]}</th></tr></thead>'
            f'<tbody><tr><th>{head[2]}</th><td>{cell["theatre"]}</td><td>{cell["honey-apiary"]}</td></tr>'
            f'<tr><th>{head[3]}</th><td>{cell["desert"]}</td><td>{cell["flood-room"]}</td></tr></tbody></table>')


def _figure_tables(f: Figures, t: Translator) -> str:
    out = []
    for section, items in figure_rows(f, t):
        rows = "".join(f"<tr><td>{html.escape(label)}</td><td>{html.escape(value)}</td></tr>" for label, value in items)
        out.append(f'<table><thead><tr><th>{html.escape(section)}</th><th></th></tr></thead>'
                   f"<tbody>{rows}</tbody></table>")
    return "\n\n".join(out)


def _figure(svg: str, caption: str) -> str:
    return f'<figure class="wol-chart">{svg}<figcaption>{html.escape(caption)}</figcaption></figure>'


def _activity_chart(f: Figures, t: Translator) -> str:
    if not f.months:
        return "*" + t.gettext("No activity yet.") + "*"
    months = f.months[-24:]
    svg = render_bar_chart(
        t.gettext("People contributing each month"),
        t.gettext("Share of people with a profile who wrote, answered or voted, per month: %(values)s",
                  values=t.list([f"{m.month} {t.percent(m.share)}" for m in months])),
        [m.month for m in months], [round(m.share * 100) for m in months],
        fmt=lambda x: t.percent(x / 100), max_value=100, slug="activity")
    docs = render_bar_chart(
        t.gettext("Documents written each month"),
        t.gettext("Posts, questions and answers written per month: %(values)s",
                  values=t.list([f"{m.month} {t.number(m.documents)}" for m in months])),
        [m.month for m in months], [m.documents for m in months], fmt=t.number, slug="documents")
    return (_figure(svg, t.gettext("Share of people who wrote, answered or voted, by month.")) + "\n\n"
            + _figure(docs, t.gettext("Posts, questions and answers written, by month.")))


def _concentration_chart(f: Figures, t: Translator) -> str:
    if not f.concentration:
        return "*" + t.gettext("Nobody has written anything yet.") + "*"
    p = t.percent
    each = [t.gettext("the most active %(top)s wrote %(share)s", top=p(x / 100), share=p(s)) for x, s in f.concentration]
    svg = render_bar_chart(
        t.gettext("Share of documents written by the most active contributors"),
        t.gettext("The most active %(top)s of contributors wrote %(share)s of documents; %(values)s",
                  top=p(TOP_SHARE), share=p(f.top_share), values=t.list(each)),
        [t.gettext("top %(share)s", share=p(x / 100)) for x, _ in f.concentration],
        [round(s * 100) for _, s in f.concentration],
        fmt=lambda x: p(x / 100), max_value=100, slug="concentration")
    return _figure(svg, t.ngettext(
        "Share of documents written by the most active X%% of the %(n)s person who wrote; an even network climbs "
        "in a straight line.",
        "Share of documents written by the most active X%% of the %(n)s people who wrote; an even network climbs "
        "in a straight line.", f.contributors))


def _answer_chart(f: Figures, t: Translator) -> str:
    if not f.answered:
        return "*" + t.gettext("No question has an answer yet.") + "*"
    svg = render_bar_chart(
        t.gettext("Time to the first answer"),
        t.gettext("Answered questions by time to their first answer: %(values)s",
                  values=t.list([f"{_bucket(b, t)}: {t.number(n)}" for b, n in f.answer_times])),
        [_bucket(b, t) for b, _ in f.answer_times], [n for _, n in f.answer_times], fmt=t.number, slug="answers")
    return _figure(svg, t.ngettext(
        "Questions by the time their first answer took (%(answered)s answered of %(n)s).",
        "Questions by the time their first answer took (%(answered)s answered of %(n)s).",
        f.questions, answered=t.number(f.answered)))


def _bucket(label: str, t: Translator) -> str:
    """An answer-time bucket of the figures (`< 1 h`, `1–4 h`, …) in the locale."""
    return t.gettext(label) if label in ANSWER_BUCKETS else label


def _team_chart(f: Figures, t: Translator) -> str:
    if not f.teams:
        return "*" + t.gettext("No answer crossed a team yet (or teams are not set in profiles).") + "*"
    rows = [(t.gettext(SMALL_TEAMS) if team == SMALL_TEAMS else team, c["given"], c["received"])
            for team, c in f.teams.items()]
    svg = render_pair_chart(
        t.gettext("Answers given to and received from other teams"),
        "; ".join(t.gettext("%(team)s: gave %(given)s, received %(received)s", team=team, given=t.number(g),
                            received=t.number(r)) for team, g, r in rows), rows,
        (t.gettext("given to other teams"), t.gettext("received from other teams")), slug="teams")
    return _figure(svg, t.ngettext(
        "%(crossed)s of %(n)s answer (%(share)s) helped someone in another team.",
        "%(crossed)s of %(n)s answers (%(share)s) helped someone in another team.",
        f.team_answers, crossed=t.number(f.cross_team_answers), share=t.percent(f.cross_team_share)))


def _method(f: Figures, t: Translator) -> str:
    p = t.percent
    return "\n".join([
        "- " + t.gettext("**Taking part** is broad when at least %(share)s of people contribute in a typical month "
                         "(the median of the last six) and the most active %(top)s of contributors write at most "
                         "%(most)s of the documents.", share=p(BROAD_CONTRIBUTOR_SHARE), top=p(TOP_SHARE),
                         most=p(NARROW_TOP_SHARE)),
        "- " + t.gettext("**Useful** when at least %(voted)s of documents were found useful by someone, at least "
                         "%(answered)s of questions have an answer, and at most %(untagged)s of documents have no "
                         "topic.", voted=p(USEFUL_VOTED_SHARE), answered=p(USEFUL_ANSWER_RATE),
                         untagged=p(FLOOD_NO_TOPIC_SHARE)),
        "- " + t.ngettext("A question is left unanswered after %(n)s day.",
                          "A question is left unanswered after %(n)s days.", UNANSWERED_DAYS),
        f"- {escape_md(say_history(f.history, t))}",
    ])


def render_privacy_page(settings, t: Translator = ENGLISH) -> StagedPage:
    title = t.gettext("What wol publishes about you")
    health = t.gettext("The [health page](%(link)s)", link=href(PRIVACY_PAGE, HEALTH_PAGE))
    blocks = [
        f"# {title}",
        t.gettext(
            "%(site)s is built from plain files in a Git repository. Everything below is derived from what you "
            "write and is visible to everyone who can read this site or the repository. wol collects nothing "
            "else: no tracking, no reading history, no script counting your visits. If the web server keeps an "
            "access log, administrators may count reads per page from it (`wol stats --access-log`): totals per "
            "document, never who read what.", site=escape_md(settings.site_name)),
        "## " + t.gettext("What you write"),
        "\n".join("- " + item for item in [
            t.gettext("**Your profile** (`content/people/<handle>.md`): name, e-mail, and optionally title, team, "
                      "location, declared expertise and the date you left. Your page shows them (not the e-mail "
                      "once you have left)."),
            t.gettext("**Your posts, questions and answers**, with your name and their date, on their own pages, in "
                      "the feeds (the whole site's, each topic's, and yours), in the JSON API and in the search "
                      "index."),
            t.gettext("**Your replies** and **the files you attach** (images, PDFs), with your name and date, under "
                      "what they answer or beside the document they belong to, in the feeds of their topics and "
                      "yours, and in the JSON API. Withdrawing a reply removes it from the site; Git's history keeps "
                      "it."),
            t.gettext("**Your votes** (`content/votes/<handle>.txt`): which documents you found useful and when. The "
                      "site shows only how many votes a document has, never who voted; the repository's file is "
                      "readable by anyone who can read the repository."),
        ]),
        "## " + t.gettext("What wol derives from it"),
        "\n".join("- " + item for item in [
            t.gettext("**Mentions**: documents that mention you (`@handle`) are listed on your page."),
            t.gettext("**Your \"for you\" feed** (`people/<handle>/for-you.xml` and `.json`, linked from your page): "
                      "what notifications would tell you, whatever your `notify:` says: documents that mention you, "
                      "answers to your questions, your accepted answers and new questions routed to you, each saying "
                      "why. It shows only what the site already shows (who was mentioned where, who answered whom), "
                      "no votes, and none once you have left."),
            t.gettext("**Earned expertise**: per topic, one point for each vote on your contributions and three for "
                      "each of your answers accepted by the asker. It appears on your page and on topic pages. "
                      "Writing a lot earns nothing by itself."),
            t.gettext("**Your contributions** are listed on your page, newest first, with how many people found "
                      "each useful."),
            t.gettext("%(health)s counts everyone together: shares, medians and team totals. It never ranks or "
                      "lists people by activity. It may name people with earned expertise on a topic, as the topic "
                      "pages do, to route an unanswered question to them.", health=health),
            t.gettext("**Git** keeps every change with its author's name and e-mail, as Git always does."),
        ]),
        "## " + t.gettext("What wol sends you"),
        _notify_text(settings, t),
        "## " + t.gettext("Your rights"),
        "\n".join("- " + item for item in [
            t.gettext("**See and take your data**: `wol export <handle> DEST` writes all your documents, answers "
                      "and votes as Markdown and everything derived from them as one JSON file."),
            t.gettext("**Be forgotten**: an administrator runs `wol forget <handle>`. It removes your profile and "
                      "votes, shows your documents as by \"a former colleague\" (no name, no link), turns mentions "
                      "of you into the same words, replaces your written-out name, and commits that as one change. "
                      "It prints how to erase you from Git history too; wol never rewrites history by itself."),
            t.gettext("**Leave**: with `left:` in your profile, your content stays and your page shows you as a "
                      "former colleague."),
        ]),
    ]
    meta = {"title": title, "description": t.gettext("What is derived and shown about a person, and how to export "
                                                     "or erase it."), "wol_kind": "page"}
    return render_page(meta, blocks)


def _notify_text(settings, t: Translator) -> str:
    """What `wol notify` sends, and how to choose or stop it (the same words whether it is configured or not)."""
    cfg = settings.notify
    if not cfg.channels_configured:
        configured = t.gettext("This site sends no notifications yet (an administrator turns them on with "
                               "`wol notify`).")
    elif cfg.smtp_host and cfg.webhooks:
        configured = t.gettext("This site sends notifications by e-mail and to chat channels.")
    elif cfg.smtp_host:
        configured = t.gettext("This site sends notifications by e-mail.")
    else:
        configured = t.gettext("This site sends notifications to chat channels.")
    return "\n\n".join([
        configured + " " + t.gettext("When it does, they go to the e-mail address of your profile (or a chat "
                                     "webhook you name), and only for what concerns you:"),
        "\n".join("- " + item for item in [
            t.gettext("someone **mentions** you, or **answers your question** (at once, by default);"),
            t.gettext("your answer is **accepted**, or your writing is **found useful** (votes are counted together, "
                      "never one message per vote, and never say who voted);"),
            t.ngettext("a **new question** on a topic where you *earned* expertise (you are among the %(n)s who "
                       "earned most on it) or that you facilitate; if it is still unanswered after %(hours)s hours, "
                       "it goes to the next %(next)s.",
                       "a **new question** on a topic where you *earned* expertise (you are among the %(n)s who "
                       "earned most on it) or that you facilitate; if it is still unanswered after %(hours)s hours, "
                       "it goes to the next %(next)s.",
                       cfg.experts, hours=t.number(cfg.escalate_after_hours), next=t.number(cfg.escalate_experts)),
        ]),
        t.gettext("Everything but mentions and answers comes in a **daily digest** by default, grouped by topic, "
                  "each saying why it reached you. Nothing is sent to someone who has left. To choose, set `notify:` "
                  "in your profile, per channel and kind: `immediate`, `daily`, `weekly` or `off`; `notify: off` "
                  "stops everything. So that nothing is sent twice, wol records on the Git ref `refs/wol/notify` "
                  "which event went to which handle; an update waiting for your digest, or for a retry, is kept "
                  "there until it is sent."),
    ])
