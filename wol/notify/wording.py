"""Events and reasons → the words a person reads, in the site's language (wol/i18n.py). Pure.

Events and deliveries hold facts (who, which topic, how many); the sentences are made only here, so a
message, a digest and a "for you" feed entry say the same thing in the same language.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..content.forgotten import FORMER_COLLEAGUE
from ..i18n import ENGLISH, Translator
from .events import ACCEPTED, ANSWER_KIND, MENTION, REPLY, USEFUL

# Why a delivery reached its recipient (`Why.code`)
MENTIONED, ANSWERED, REPLIED, ACCEPTED_ANSWER, WROTE = "mentioned", "answered", "replied", "accepted", "wrote"
EXPERT, EXPERT_ESCALATED, FACILITATOR = "expert", "expert-escalated", "facilitator"
TOPIC_CHANNEL, TOPIC_CHANNEL_ESCALATED = "topic", "topic-escalated"
SAID = "said"  # a reason a record of an older wol holds as text


@dataclass(frozen=True)
class Why:
    """Why one event reached one recipient: a code and the facts its sentence names."""

    code: str
    actor: str = ""
    tag: str = ""
    hours: int = 0
    text: str = ""  # SAID only


def who(handle: str, t: Translator = ENGLISH) -> str:
    """How a message names the one who did it: `@bob`, or "a former colleague" for someone forgotten."""
    return t.gettext("a former colleague") if handle == FORMER_COLLEAGUE else f"@{handle}"


def headline_of(e, t: Translator = ENGLISH) -> str:
    """An event's headline, whoever reads it (a message, or an entry of a person's "for you" feed)."""
    title, actor = e.title, who(e.actor, t)
    if e.kind == MENTION:
        return t.gettext("%(actor)s mentioned you in “%(title)s”", actor=actor, title=title)
    if e.kind == ANSWER_KIND:
        return t.gettext("%(actor)s answered your question “%(title)s”", actor=actor, title=title)
    if e.kind == REPLY:
        return t.gettext("%(actor)s replied to you in “%(title)s”", actor=actor, title=title)
    if e.kind == ACCEPTED:
        return t.gettext("%(actor)s accepted your answer to “%(title)s”", actor=actor, title=title)
    if e.kind == USEFUL:
        return t.ngettext("“%(title)s”: %(n)s more person found it useful (%(total)s in all)",
                          "“%(title)s”: %(n)s more people found it useful (%(total)s in all)",
                          e.fresh, title=title, total=t.number(e.total))
    if e.escalated:
        return t.gettext("Still unanswered: “%(title)s” (asked by %(actor)s)", actor=actor, title=title)
    return t.gettext("Can you answer? “%(title)s” (asked by %(actor)s)", actor=actor, title=title)


def say_why(why: Why, t: Translator = ENGLISH) -> str:
    """The reason a message gives, as the end of "Why you get this: …"."""
    actor, tag = who(why.actor, t), why.tag
    if why.code == SAID:
        return why.text
    if why.code == MENTIONED:
        return t.gettext("%(actor)s mentioned you", actor=actor)
    if why.code == ANSWERED:
        return t.gettext("%(actor)s answered your question", actor=actor)
    if why.code == REPLIED:
        return t.gettext("%(actor)s replied to what you wrote", actor=actor)
    if why.code == ACCEPTED_ANSWER:
        return t.gettext("%(actor)s accepted your answer", actor=actor)
    if why.code == WROTE:
        return t.gettext("you wrote it")
    if why.code == EXPERT_ESCALATED:
        return t.ngettext("it is still unanswered after %(n)s hour, and you earned expertise in #%(tag)s",
                          "it is still unanswered after %(n)s hours, and you earned expertise in #%(tag)s",
                          why.hours, tag=tag)
    if why.code == EXPERT:
        return t.gettext("you earned expertise in #%(tag)s", tag=tag)
    if why.code == FACILITATOR:
        return t.gettext("you facilitate #%(tag)s", tag=tag)
    if why.code == TOPIC_CHANNEL_ESCALATED:
        return t.ngettext("still unanswered after %(n)s hour on #%(tag)s",
                          "still unanswered after %(n)s hours on #%(tag)s", why.hours, tag=tag)
    return t.gettext("a new question on #%(tag)s", tag=tag)
