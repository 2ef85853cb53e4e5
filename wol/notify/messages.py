"""Messages → what a person reads: a subject, plain text, sanitised HTML, and chat payloads. Pure.

The HTML goes through the site's own renderer and sanitiser (`wol/stage/html.py`), so a question's text
reaches an inbox exactly as safe as it reaches the site: no script, no handlers, no `javascript:` links.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from ..stage.html import markdown_to_html, sanitise
from ..i18n import ENGLISH, Translator
from .record import Message
from .routing import DAILY, IMMEDIATE
from .wording import headline_of, say_why

PRIVACY_URL = "about/privacy/"


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str
    link: str  # the page, absolute when site_url is set


def page_link(site_url: str, url: str) -> str:
    return (site_url.rstrip("/") + "/" if site_url else "/") + url


def headline(delivery, t: Translator = ENGLISH) -> str:
    """One line saying what happened, e.g. `@bob answered your question “Why does my consumer lag?”`."""
    return headline_of(delivery.event, t)


def render_message(message: Message, site_name: str, site_url: str, extensions=(), configs=None,
                   t: Translator = ENGLISH) -> Rendered:
    """Subject, text and HTML of an immediate message or a digest, in the translator's language."""
    if message.period == IMMEDIATE:
        return _render_one(message.items[0], message, site_name, site_url, extensions, configs, t)
    if len(message.items) == 1:  # a digest of one: the update itself, with its text
        one = _render_one(message.items[0], message, site_name, site_url, extensions, configs, t)
        subject = (t.gettext("%(subject)s (daily digest)", subject=one.subject) if message.period == DAILY
                   else t.gettext("%(subject)s (weekly digest)", subject=one.subject))
        return Rendered(subject, one.text, one.html, one.link)
    return _render_digest(message, site_name, site_url, t)


def _footer(message: Message, site_url: str, t: Translator) -> tuple[str, str]:
    """How the reader chooses what they receive: their profile's `notify:`, or the topic's `chat:`."""
    if message.recipient.startswith("#"):
        tag = message.recipient[1:]
        where = f"content/topics/{tag}.md"
        text = t.gettext("This channel receives the questions on #%(tag)s: `chat:` in %(file)s.", tag=tag, file=where)
        return text, f"<p><small>{html.escape(text)}</small></p>"
    where = f"content/people/{message.recipient}.md"
    privacy = page_link(site_url, PRIVACY_URL)
    text = t.gettext("To choose what you receive, or stop it, set `notify:` in your profile (%(file)s); see "
                     "%(link)s", file=where, link=privacy)
    return text, ("<p><small>" + t.gettext(
        "To choose what you receive, or stop it, set <code>notify:</code> in your profile (<code>%(file)s</code>); "
        "see <a href=\"%(link)s\">what wol publishes about you</a>.",
        file=html.escape(where), link=html.escape(privacy)) + "</small></p>")


def _render_one(d, message, site_name, site_url, extensions, configs, t: Translator) -> Rendered:
    link = page_link(site_url, d.event.url)
    line, why = headline(d, t), say_why(d.reason, t)
    foot_text, foot_html = _footer(message, site_url, t)
    text = "\n\n".join(p for p in [line, d.event.excerpt, t.gettext("Open it: %(link)s", link=link),
                                    t.gettext("Why you get this: %(why)s.", why=why), foot_text] if p) + "\n"
    excerpt = markdown_to_html(d.event.excerpt, extensions, configs) if d.event.excerpt else ""
    open_it = t.gettext("Open it on %(site)s", site=site_name)
    because = t.gettext("Why you get this: %(why)s.", why=why)
    body = (f"<p><strong>{html.escape(line)}</strong></p>\n<blockquote>{excerpt}</blockquote>\n"
            f"<p><a href=\"{html.escape(link)}\">{html.escape(open_it)}</a></p>\n"
            f"<p>{html.escape(because)}</p>\n{foot_html}")
    return Rendered(f"[{site_name}] {line}", text, _page(sanitise(body), t), link)


def group_by_topic(items) -> list[tuple[str, list]]:
    """(topic, deliveries newest first), the topic with the newest delivery first; "" gathers the rest."""
    groups: dict[str, list] = {}
    for item in sorted(items, key=lambda d: (d.event.date, d.id), reverse=True):
        groups.setdefault(item.topic, []).append(item)
    return list(groups.items())


def _render_digest(message: Message, site_name: str, site_url: str, t: Translator) -> Rendered:
    count = len(message.items)
    if message.period == DAILY:
        title = t.ngettext("Your daily digest: %(n)s update", "Your daily digest: %(n)s updates", count)
    else:
        title = t.ngettext("Your weekly digest: %(n)s update", "Your weekly digest: %(n)s updates", count)
    subject = f"[{site_name}] {title}"
    lines, parts = [title, ""], []
    for topic, items in group_by_topic(message.items):
        heading = f"#{topic}" if topic else t.gettext("Other")
        lines.append(heading)
        parts.append(f"<h2>{html.escape(heading)}</h2>\n<ul>")
        for d in items:
            link, line = page_link(site_url, d.event.url), headline(d, t)
            why = t.gettext("Why: %(why)s.", why=say_why(d.reason, t))
            lines.append(f"- {line}\n  {link}\n  {why}")
            parts.append(f"<li><a href=\"{html.escape(link)}\">{html.escape(line)}</a><br>"
                         f"<small>{html.escape(why)}</small></li>")
        parts.append("</ul>")
        lines.append("")
    foot_text, foot_html = _footer(message, site_url, t)
    text = "\n".join(lines + [foot_text]) + "\n"
    body = f"<p><strong>{html.escape(title)}</strong></p>\n" + "\n".join(parts) + "\n" + foot_html
    return Rendered(subject, text, _page(sanitise(body), t), page_link(site_url, ""))


def _page(body: str, t: Translator) -> str:
    return (f"<!DOCTYPE html>\n<html lang=\"{html.escape(t.babel.language)}\" dir=\"{t.direction}\">"
            f"<head><meta charset=\"utf-8\"></head><body>\n{body}\n</body></html>\n")


def render_chat_payload(rendered: Rendered, fmt: str, mention: str = "", t: Translator = ENGLISH) -> dict:
    """The JSON body of an incoming webhook: Slack and Mattermost share `{text}`; Teams takes an Adaptive Card."""
    who = f"@{mention}: " if mention and not mention.startswith("#") else ""
    first, _, rest = rendered.text.partition("\n\n")
    if fmt == "teams":
        return {"type": "message", "attachments": [{
            "contentType": "application/vnd.microsoft.card.adaptive", "contentUrl": None,
            "content": {"$schema": "http://adaptivecards.io/schemas/adaptive-card.json", "type": "AdaptiveCard",
                        "version": "1.4",
                        "body": [{"type": "TextBlock", "text": who + first, "weight": "Bolder", "wrap": True},
                                 {"type": "TextBlock", "text": rest.strip(), "wrap": True}],
                        "actions": [{"type": "Action.OpenUrl", "title": t.gettext("Open"), "url": rendered.link}]}}]}
    escaped = (who + rendered.text.strip()).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return {"text": escaped, "unfurl_links": False}
