"""The words the theme's scripts show (assets/wol.js, wol-search.js, wol-people.js), in the site's language.

Every page carries them as one JSON object (main.html, `<script id="wol-words">`), keyed by the English
message; `WolWords.say(message, values)` and `WolWords.sayN(singular, n, values)` in wol.js fill the
`%(name)s` blanks. A plural message carries one form per CLDR plural category of the language, which the
browser picks with `Intl.PluralRules`, so "2 réponses" and "0 réponse" come out right. No sentence is built
by joining pieces in a script.
"""

from __future__ import annotations

from ..i18n import ENGLISH, Translator


def ngettext(singular: str, plural: str, t: Translator) -> dict[str, str]:
    """A plural message's forms by CLDR category, blanks unfilled (named so that Babel extracts it)."""
    return {category: t.catalogue.ngettext(singular, plural, n) for category, n in t.plural_samples().items()}


def script_words(t: Translator = ENGLISH) -> dict:
    """English message → its translation (or plural forms), for every message the scripts show."""
    gettext = t.catalogue.gettext  # blanks unfilled: the script fills them
    words = {
        "Useful": gettext("Useful"),
        "Vote in the editor (you may be asked to sign in)": gettext("Vote in the editor (you may be asked to sign in)"),
        "Your own": gettext("Your own"),
        "Votes are for what helped you; others vote for your writing":
            gettext("Votes are for what helped you; others vote for your writing"),
        "Could not record your vote; try again.": gettext("Could not record your vote; try again."),
        "To vote, run this in your clone of the knowledge repository:":
            gettext("To vote, run this in your clone of the knowledge repository:"),
        "Copy": gettext("Copy"),
        "Copied": gettext("Copied"),
        "Your vote is a one-line commit to votes/<you>.txt; push it and the site counts it at the next build.":
            gettext("Your vote is a one-line commit to votes/<you>.txt; push it and the site counts it at the next "
                "build."),
        "Write a post, ask a question": gettext("Write a post, ask a question"),
        "Write a post, ask a question (as %(name)s)": gettext("Write a post, ask a question (as %(name)s)"),
        "Write": gettext("Write"),
        "Answer this question": gettext("Answer this question"),
        "Edit": gettext("Edit"),
        "Its author can edit it in the editor": gettext("Its author can edit it in the editor"),
        "Reply": gettext("Reply"),
        "To reply, run this in your clone of the knowledge repository:":
            gettext("To reply, run this in your clone of the knowledge repository:"),
        "Ask a question": gettext("Ask a question"),
        "All": gettext("All"),
        "Questions": gettext("Questions"),
        "Posts": gettext("Posts"),
        "People": gettext("People"),
        "Topics": gettext("Topics"),
        "Any state": gettext("Any state"),
        "Unanswered": gettext("Unanswered"),
        "Answered": gettext("Answered"),
        "Solved": gettext("Solved"),
        "Post": gettext("Post"),
        "Question": gettext("Question"),
        "Person": gettext("Person"),
        "Topic": gettext("Topic"),
        "Kind": gettext("Kind"),
        "State": gettext("State"),
        "Only": gettext("Only"),
        "Remove the topic filter #%(tag)s": gettext("Remove the topic filter #%(tag)s"),
        "Accepted answer (%(name)s): ": gettext("Accepted answer (%(name)s): "),
        "Accepted answer: ": gettext("Accepted answer: "),
        "Only #%(tag)s": gettext("Only #%(tag)s"),
        "Not what you need?": gettext("Not what you need?"),
        "No answer yet?": gettext("No answer yet?"),
        "Ask “%(title)s”": gettext("Ask “%(title)s”"),
        "Not what you need? Ask it: ": gettext("Not what you need? Ask it: "),
        "No answer yet? Ask it: ": gettext("No answer yet? Ask it: "),
        "Search failed; try again.": gettext("Search failed; try again."),
        "Search is not available on this site.": gettext("Search is not available on this site."),
        "No results for “%(query)s”.": gettext("No results for “%(query)s”."),
        "No results for “%(query)s” with these filters.": gettext("No results for “%(query)s” with these filters."),
        "No topic matches “%(query)s”.": gettext("No topic matches “%(query)s”."),
        "No one has earned expertise on %(topics)s yet.": gettext("No one has earned expertise on %(topics)s yet."),
        "Earned: %(detail)s": gettext("Earned: %(detail)s"),
        "Declared, not earned yet": gettext("Declared, not earned yet"),
        "how to contribute": gettext("how to contribute"),
        "%(n)s found this useful": ngettext("%(n)s found this useful", "%(n)s found this useful", t),
        "%(n)s result": ngettext("%(n)s result", "%(n)s results", t),
        "%(n)s person knows about %(topics)s, most useful first.": ngettext(
            "%(n)s person knows about %(topics)s, most useful first.",
            "%(n)s people know about %(topics)s, most useful first.", t),
        "%(n)s person shown.": ngettext("%(n)s person shown.", "%(n)s people shown.", t),
    }
    return words
