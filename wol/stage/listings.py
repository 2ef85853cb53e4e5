"""Generated pages: home, topics, one page per topic, people, one page per person, questions.

Long listings are capped so a 5,000-document site stays fast to build and
light to read: a topic or person page lists its LIST_LIMIT newest documents
and says how many there are in all (search, the feeds and the JSON API reach
the rest); each group of the questions index lists its QUESTIONS_LIMIT newest.
The home page shows `settings.home_length` items per section. Directories
(all topics, all people) are one line per entry and are never capped.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from ..content.attachments import avatar_path, content_prefix
from ..derive.graph import ANSWERED, SOLVED, UNANSWERED
from .foryou import for_you_links
from .links import folder_of, href, person_page, topic_page
from .pages import feed_links
from .parts import FORMER, link_body, render_chips, render_list, render_person_link
from ..i18n import ENGLISH, N_, Translator, translator
from .reuse import Direct
from .text import StagedPage, escape_md, excerpt, format_date, render_page

LIST_LIMIT = 50
QUESTIONS_LIMIT = 100
ACTIVE_WINDOW = 100  # active topics: the most used among this many newest documents
ACTIVE_TOPICS = 12
NO_TEAM = N_("No team")
TOP_EXPERTISE = 3  # earned topics shown beside each person in the directory


def render_listing_pages(graph, settings, reuse=None) -> dict[str, StagedPage]:
    """Home, topics, questions and people pages → {page path: StagedPage}, each page a step of `reuse`."""
    t, reuse = translator(settings.locale), reuse or Direct(graph)
    pages = {
        "index.md": reuse.run(("page", "index.md"), render_home, settings),
        "topics/index.md": reuse.run(("page", "topics/index.md"), render_topics_index, t),
        "people/index.md": reuse.run(("page", "people/index.md"), render_people_index, settings),
        "questions/index.md": reuse.run(("page", "questions/index.md"), render_questions_index, t),
    }
    for tag in graph.topics:
        page = topic_page(tag)
        pages[page] = reuse.run(("page", page), render_topic_page, tag, t)
    for handle in graph.people:
        page = person_page(handle)
        pages[page] = reuse.run(("page", page), render_person_page, handle, settings)
    return pages


def find_active_topics(graph, window: int = ACTIVE_WINDOW, limit: int = ACTIVE_TOPICS) -> list[str]:
    """Topics most used by the `window` newest documents, most used first."""
    counts = Counter()
    for doc_id in list(graph.documents)[:window]:
        counts.update(graph.topics_of.get(doc_id, []))
    return [t for t, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit] if t in graph.topics]


def render_home(graph, settings) -> StagedPage:
    at = "index.md"
    n, t = settings.home_length, translator(settings.locale)
    unanswered = [q for q, thread in graph.threads.items() if thread.state == UNANSWERED]
    all_questions, all_topics, people = t.gettext("All questions"), t.gettext("All topics"), t.gettext("People")
    blocks = [  # the search box and welcome are the theme's (partials/wol-home.html): search first
        "## " + t.gettext("Unanswered questions"),
        render_list(graph, at, unanswered[:n], n, empty=t.gettext("Every question has an answer."), t=t),
        f"[{all_questions}]({href(at, 'questions/index.md')})",
        "## " + t.gettext("What's new"),
        render_list(graph, at, list(graph.documents)[:n], n, kind=True, empty=t.gettext("Nothing is published yet."),
                    t=t),
        "## " + t.gettext("Active topics"),
        render_chips(graph, at, find_active_topics(graph)) or "*" + t.gettext("No topics yet.") + "*",
        f"[{all_topics}]({href(at, 'topics/index.md')}) · [{people}]({href(at, 'people/index.md')})",
    ]
    meta = {"title": t.gettext("Home"), "description": settings.site_description or None, "wol_ask": {},
            "wol_kind": "home", "wol_feeds": feed_links("", settings.site_name, t), "hide": ["toc"]}
    return render_page(meta, blocks)


def render_topics_index(graph, t: Translator = ENGLISH) -> StagedPage:
    at = "topics/index.md"
    lines = []
    for tag, topic in sorted(graph.topics.items(), key=lambda kv: (-len(kv[1].documents), kv[0])):
        also = ", ".join(f"#{escape_md(a)}" for a in topic.aliases)
        count = t.ngettext("%(n)s document", "%(n)s documents", len(topic.documents))
        line = f"- [{escape_md(topic.title)}]({href(at, topic_page(tag))}) · {count}"
        lines.append(line + (" · " + t.gettext("also %(aliases)s", aliases=also) if also else ""))
    title = t.gettext("Topics")
    blocks = [f"# {title}", "\n".join(lines) or "*" + t.gettext("No topics yet: write `#topic` in a post.") + "*"]
    return render_page({"title": title, "wol_kind": "topics"}, blocks)


def render_topic_page(graph, tag: str, t: Translator = ENGLISH) -> StagedPage:
    topic = graph.topics[tag]
    at = topic_page(tag)
    blocks = []  # the title is the theme's header (partials/wol-profile.html)
    if topic.description:
        blocks.append(link_body(graph, at, topic.description))
    facts = [f"`#{tag}`"] + [f"`#{a}`" for a in topic.aliases]
    blocks.append(t.gettext("Tags: %(tags)s", tags=" ".join(facts)))
    if topic.facilitators:
        names = t.list([render_person_link(graph, at, h, t) for h in topic.facilitators])
        blocks.append(t.gettext("Facilitated by %(names)s", names=names))
    blocks.append("## " + t.gettext("Experts"))
    if topic.experts:
        blocks.append("\n".join(f"- {render_person_link(graph, at, h, t)} · {t.number(s)}"
                                for h, s in topic.experts[:LIST_LIMIT]))
        blocks.append("*" + t.gettext("Scores are earned by usefulness: votes on contributions and accepted answers.")
                      + "*")
    else:
        blocks.append("*" + t.gettext("No one has earned expertise here yet: vote for the contributions you found "
                                      "useful.") + "*")
    blocks.append("## " + t.gettext("Documents (%(n)s)", n=t.number(len(topic.documents))))
    blocks.append(render_list(graph, at, topic.documents, LIST_LIMIT, kind=True, t=t))
    if topic.related:
        blocks += ["## " + t.gettext("Related topics"), render_chips(graph, at, topic.related)]
    meta = {"title": topic.title, "description": excerpt(topic.description) or None, "wol_kind": "topic",
            "wol_ask": {"tags": tag, "label": t.gettext("Ask about %(topic)s", topic=topic.title)},
            "wol_feeds": feed_links(folder_of(f"topics/{tag}"), topic.title, t)}
    return render_page(meta, blocks)


def team_name(settings, slug: str) -> str:
    """The name readers see for a team: `wol.teams` maps slugs to names; the slug otherwise."""
    return settings.team_name(slug) if settings is not None else slug


def render_people_index(graph, settings=None) -> StagedPage:
    """The directory: people by team (named by `wol.teams`), each with their top earned expertise.

    The theme adds the topic and team filters and the "Who knows about…?" box
    (partials/wol-people.html), which read `api/people.json`.
    """
    at = "people/index.md"
    t = translator(settings.locale) if settings is not None else ENGLISH
    teams = defaultdict(list)
    for handle, person in graph.people.items():
        teams[person.team].append(person)
    names = {slug: team_name(settings, slug) if slug else t.gettext(NO_TEAM) for slug in teams}
    blocks = []  # the title, the box and the filters are the theme's (main.html, partials/wol-people.html)
    for team in sorted(teams, key=lambda t: (not t, names[t].casefold())):
        blocks.append(f"## {escape_md(names[team])}")
        lines = []
        for person in sorted(teams[team], key=lambda p: (p.has_left, p.name.casefold())):
            bits = [f"[{escape_md(person.name)}]({href(at, person_page(person.handle))})"]
            if person.title:
                bits.append(escape_md(person.title))
            if person.has_left:
                bits.append("*" + t.gettext(FORMER) + "*")
            top = graph.earned(person.handle)[:TOP_EXPERTISE]
            if top:
                bits.append(render_chips(graph, at, [t for t, _ in top], dict(top)))
            lines.append("- " + " · ".join(bits))
        blocks.append("\n".join(lines))
    if not teams:
        blocks.append("*" + t.gettext("No profiles yet: add one with `wol new profile`.") + "*")
    known = {t for h in graph.people for t, _ in graph.earned(h)} | {t for p in graph.people.values()
                                                                     for t in p.expertise}
    known = {t for t in known if t in graph.topics}  # a filter for each topic with a page
    meta = {"title": t.gettext("People"), "wol_kind": "people",
            "wol_teams": [{"slug": t, "name": names[t]} for t in sorted(teams, key=lambda t: names[t].casefold())
                          if t] or None,
            "wol_expertise": [{"tag": t, "title": graph.topics[t].title, "aliases": list(graph.topics[t].aliases)}
                              for t in sorted(known, key=lambda t: graph.topics[t].title.casefold())] or None}
    return render_page(meta, blocks)


def render_person_page(graph, handle: str, settings=None) -> StagedPage:
    person = graph.people[handle]
    at = person_page(handle)
    t = translator(settings.locale) if settings is not None else ENGLISH
    blocks = []  # the name and avatar are the theme's header (partials/wol-profile.html)
    if person.has_left:
        former = t.gettext("Former colleague")
        left = t.gettext("left on %(date)s", date=format_date(person.left, t))
        blocks.append(f"**{former}** · {left}\n{{: .wol-former }}")
    team = team_name(settings, person.team) if person.team else ""
    facts = [escape_md(v) for v in (person.title, team, person.location) if v]
    if person.email and not person.has_left:
        facts.append(f"<{person.email}>" if "@" in person.email and " " not in person.email
                     else escape_md(person.email))
    if facts:
        blocks.append(" · ".join(facts))
    if person.body.strip():
        blocks.append(link_body(graph, at, person.body))
    earned = graph.earned(handle)
    blocks.append("## " + t.gettext("Expertise"))
    if earned:
        blocks.append(t.gettext("Earned, from votes and accepted answers: %(topics)s",
                                topics=render_chips(graph, at, [tag for tag, _ in earned], dict(earned))))
    else:
        blocks.append("*" + t.gettext("No expertise earned yet.") + "*")
    if person.expertise:
        declared = " ".join(f"`#{tag}`" if tag not in graph.topics else render_chips(graph, at, [tag])
                            for tag in person.expertise)
        blocks.append(t.gettext("Declared: %(topics)s", topics=declared))
    contributions = graph.by_author.get(handle, [])
    blocks += ["## " + t.gettext("Contributions (%(n)s)", n=t.number(len(contributions))),
               render_list(graph, at, contributions, LIST_LIMIT, kind=True, author=False, t=t)]
    replies = graph.replies_by.get(handle, [])
    if replies:
        blocks += ["## " + t.gettext("Replies (%(n)s)", n=t.number(len(replies))),
                   render_list(graph, at, replies, LIST_LIMIT, author=False, t=t)]
    mentioned = graph.mentioned_in.get(handle, [])
    blocks += ["## " + t.gettext("Mentioned in (%(n)s)", n=t.number(len(mentioned))),
               render_list(graph, at, mentioned, LIST_LIMIT, kind=True, empty=t.gettext("No mentions yet."), t=t)]
    meta = {"title": person.name, "description": excerpt(person.body) or None, "wol_kind": "person",
            "wol_avatar": published_avatar(graph, person),
            "wol_ask": None if person.has_left else {"ask": handle,
                                                     "label": t.gettext("Ask %(name)s", name=person.name)},
            "wol_feeds": feed_links(folder_of(f"people/{handle}"), person.name, t) + for_you_links(graph, handle, t)}
    return render_page(meta, blocks)


STATES = {UNANSWERED: N_("Unanswered (%(n)s)"), ANSWERED: N_("Answered (%(n)s)"), SOLVED: N_("Solved (%(n)s)")}


def render_questions_index(graph, t: Translator = ENGLISH) -> StagedPage:
    at = "questions/index.md"
    groups = {UNANSWERED: [], ANSWERED: [], SOLVED: []}
    for question_id, thread in graph.threads.items():
        groups[thread.state].append(question_id)
    blocks = []  # the title and "Ask a question" are the theme's (main.html, partials/wol-ask.html)
    for state, empty in ((UNANSWERED, t.gettext("Every question has an answer.")), (ANSWERED, t.gettext("None.")),
                         (SOLVED, t.gettext("None yet."))):
        blocks.append("## " + t.gettext(STATES[state], n=t.number(len(groups[state]))))
        blocks.append(render_list(graph, at, groups[state], QUESTIONS_LIMIT, empty=empty, t=t))
    return render_page({"title": t.gettext("Questions"), "wol_kind": "questions", "wol_ask": {}}, blocks)


def published_avatar(graph, person) -> str | None:
    """The site-relative path of a profile's avatar image, when `wol check` accepts it (else initials)."""
    path = avatar_path(person)
    found = graph.attachments.get(path) if path else None
    if found is None or not found.is_image:
        return None
    return path.removeprefix(content_prefix(person))
