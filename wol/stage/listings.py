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
from .text import StagedPage, escape_md, excerpt, format_date, plural, render_page

LIST_LIMIT = 50
QUESTIONS_LIMIT = 100
ACTIVE_WINDOW = 100  # active topics: the most used among this many newest documents
ACTIVE_TOPICS = 12
NO_TEAM = "No team"
TOP_EXPERTISE = 3  # earned topics shown beside each person in the directory


def render_listing_pages(graph, settings) -> dict[str, StagedPage]:
    """Home, topics, questions and people pages → {page path: StagedPage}."""
    pages = {
        "index.md": render_home(graph, settings),
        "topics/index.md": render_topics_index(graph),
        "people/index.md": render_people_index(graph, settings),
        "questions/index.md": render_questions_index(graph),
    }
    for tag in graph.topics:
        pages[topic_page(tag)] = render_topic_page(graph, tag)
    for handle in graph.people:
        pages[person_page(handle)] = render_person_page(graph, handle, settings)
    return pages


def find_active_topics(graph, window: int = ACTIVE_WINDOW, limit: int = ACTIVE_TOPICS) -> list[str]:
    """Topics most used by the `window` newest documents, most used first."""
    counts = Counter()
    for doc_id in list(graph.documents)[:window]:
        counts.update(graph.topics_of.get(doc_id, []))
    return [t for t, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit] if t in graph.topics]


def render_home(graph, settings) -> StagedPage:
    at = "index.md"
    n = settings.home_length
    unanswered = [q for q, t in graph.threads.items() if t.state == UNANSWERED]
    blocks = [  # the search box and welcome are the theme's (partials/wol-home.html): search first
        "## Unanswered questions",
        render_list(graph, at, unanswered[:n], n, empty="Every question has an answer."),
        f"[All questions]({href(at, 'questions/index.md')})",
        "## What's new",
        render_list(graph, at, list(graph.documents)[:n], n, kind=True, empty="Nothing is published yet."),
        "## Active topics",
        render_chips(graph, at, find_active_topics(graph)) or "*No topics yet.*",
        f"[All topics]({href(at, 'topics/index.md')}) · [People]({href(at, 'people/index.md')})",
    ]
    meta = {"title": "Home", "description": settings.site_description or None, "wol_ask": {},
            "wol_kind": "home", "wol_feeds": feed_links("", settings.site_name), "hide": ["toc"]}
    return render_page(meta, blocks)


def render_topics_index(graph) -> StagedPage:
    at = "topics/index.md"
    lines = []
    for tag, topic in sorted(graph.topics.items(), key=lambda kv: (-len(kv[1].documents), kv[0])):
        also = ", ".join(f"#{escape_md(a)}" for a in topic.aliases)
        line = (f"- [{escape_md(topic.title)}]({href(at, topic_page(tag))}) · "
                f"{plural(len(topic.documents), 'document')}")
        lines.append(line + (f" · also {also}" if also else ""))
    blocks = ["# Topics", "\n".join(lines) or "*No topics yet: write `#topic` in a post.*"]
    return render_page({"title": "Topics", "wol_kind": "topics"}, blocks)


def render_topic_page(graph, tag: str) -> StagedPage:
    topic = graph.topics[tag]
    at = topic_page(tag)
    blocks = []  # the title is the theme's header (partials/wol-profile.html)
    if topic.description:
        blocks.append(link_body(graph, at, topic.description))
    facts = [f"`#{tag}`"] + [f"`#{a}`" for a in topic.aliases]
    blocks.append("Tags: " + " ".join(facts))
    if topic.facilitators:
        names = ", ".join(render_person_link(graph, at, h) for h in topic.facilitators)
        blocks.append(f"Facilitated by {names}")
    blocks.append("## Experts")
    if topic.experts:
        blocks.append("\n".join(f"- {render_person_link(graph, at, h)} · {s}" for h, s in topic.experts[:LIST_LIMIT]))
        blocks.append("*Scores are earned by usefulness: votes on contributions and accepted answers.*")
    else:
        blocks.append("*No one has earned expertise here yet: vote for the contributions you found useful.*")
    blocks.append(f"## Documents ({len(topic.documents)})")
    blocks.append(render_list(graph, at, topic.documents, LIST_LIMIT, kind=True))
    if topic.related:
        blocks += ["## Related topics", render_chips(graph, at, topic.related)]
    meta = {"title": topic.title, "description": excerpt(topic.description) or None, "wol_kind": "topic",
            "wol_ask": {"tags": tag, "label": f"Ask about {topic.title}"},
            "wol_feeds": feed_links(folder_of(f"topics/{tag}"), topic.title)}
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
    teams = defaultdict(list)
    for handle, person in graph.people.items():
        teams[person.team].append(person)
    names = {slug: team_name(settings, slug) if slug else NO_TEAM for slug in teams}
    blocks = []  # the title, the box and the filters are the theme's (main.html, partials/wol-people.html)
    for team in sorted(teams, key=lambda t: (not t, names[t].casefold())):
        blocks.append(f"## {escape_md(names[team])}")
        lines = []
        for person in sorted(teams[team], key=lambda p: (p.has_left, p.name.casefold())):
            bits = [f"[{escape_md(person.name)}]({href(at, person_page(person.handle))})"]
            if person.title:
                bits.append(escape_md(person.title))
            if person.has_left:
                bits.append(f"*{FORMER}*")
            top = graph.earned(person.handle)[:TOP_EXPERTISE]
            if top:
                bits.append(render_chips(graph, at, [t for t, _ in top], dict(top)))
            lines.append("- " + " · ".join(bits))
        blocks.append("\n".join(lines))
    if not teams:
        blocks.append("*No profiles yet: add one with `wol new profile`.*")
    known = {t for h in graph.people for t, _ in graph.earned(h)} | {t for p in graph.people.values()
                                                                     for t in p.expertise}
    known = {t for t in known if t in graph.topics}  # a filter for each topic with a page
    meta = {"title": "People", "wol_kind": "people",
            "wol_teams": [{"slug": t, "name": names[t]} for t in sorted(teams, key=lambda t: names[t].casefold())
                          if t] or None,
            "wol_expertise": [{"tag": t, "title": graph.topics[t].title, "aliases": list(graph.topics[t].aliases)}
                              for t in sorted(known, key=lambda t: graph.topics[t].title.casefold())] or None}
    return render_page(meta, blocks)


def render_person_page(graph, handle: str, settings=None) -> StagedPage:
    person = graph.people[handle]
    at = person_page(handle)
    blocks = []  # the name and avatar are the theme's header (partials/wol-profile.html)
    if person.has_left:
        blocks.append(f"**{FORMER.capitalize()}** · left on {format_date(person.left)}\n{{: .wol-former }}")
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
    blocks.append("## Expertise")
    if earned:
        blocks.append("Earned, from votes and accepted answers: "
                      + render_chips(graph, at, [t for t, _ in earned], dict(earned)))
    else:
        blocks.append("*No expertise earned yet.*")
    if person.expertise:
        declared = " ".join(f"`#{t}`" if t not in graph.topics else render_chips(graph, at, [t])
                            for t in person.expertise)
        blocks.append(f"Declared: {declared}")
    contributions = graph.by_author.get(handle, [])
    blocks += [f"## Contributions ({len(contributions)})",
               render_list(graph, at, contributions, LIST_LIMIT, kind=True, author=False)]
    replies = graph.replies_by.get(handle, [])
    if replies:
        blocks += [f"## Replies ({len(replies)})", render_list(graph, at, replies, LIST_LIMIT, author=False)]
    mentioned = graph.mentioned_in.get(handle, [])
    blocks += [f"## Mentioned in ({len(mentioned)})",
               render_list(graph, at, mentioned, LIST_LIMIT, kind=True, empty="No mentions yet.")]
    meta = {"title": person.name, "description": excerpt(person.body) or None, "wol_kind": "person",
            "wol_avatar": published_avatar(graph, person),
            "wol_ask": None if person.has_left else {"ask": handle, "label": f"Ask {person.name}"},
            "wol_feeds": feed_links(folder_of(f"people/{handle}"), person.name) + for_you_links(graph, handle)}
    return render_page(meta, blocks)


def render_questions_index(graph) -> StagedPage:
    at = "questions/index.md"
    groups = {UNANSWERED: [], ANSWERED: [], SOLVED: []}
    for question_id, thread in graph.threads.items():
        groups[thread.state].append(question_id)
    blocks = []  # the title and "Ask a question" are the theme's (main.html, partials/wol-ask.html)
    for state, empty in ((UNANSWERED, "Every question has an answer."), (ANSWERED, "None."),
                         (SOLVED, "None yet.")):
        blocks.append(f"## {state.capitalize()} ({len(groups[state])})")
        blocks.append(render_list(graph, at, groups[state], QUESTIONS_LIMIT, empty=empty))
    return render_page({"title": "Questions", "wol_kind": "questions", "wol_ask": {}}, blocks)


def published_avatar(graph, person) -> str | None:
    """The site-relative path of a profile's avatar image, when `wol check` accepts it (else initials)."""
    path = avatar_path(person)
    found = graph.attachments.get(path) if path else None
    if found is None or not found.is_image:
        return None
    return path.removeprefix(content_prefix(person))
