"""Messages → what a person reads: a subject, plain text, sanitised HTML, and chat payloads. Pure.

The HTML goes through the site's own renderer and sanitiser (`wol/stage/html.py`), so a question's text
reaches an inbox exactly as safe as it reaches the site: no script, no handlers, no `javascript:` links.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from ..stage.html import markdown_to_html, sanitise
from .events import headline_of
from .record import Message
from .routing import IMMEDIATE

PRIVACY_URL = "about/privacy/"


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str
    link: str  # the page, absolute when site_url is set


def page_link(site_url: str, url: str) -> str:
    return (site_url.rstrip("/") + "/" if site_url else "/") + url


def headline(delivery) -> str:
    """One line saying what happened, e.g. `@bob answered your question “Why does my consumer lag?”`."""
    return headline_of(delivery.event)


def render_message(message: Message, site_name: str, site_url: str, extensions=(), configs=None) -> Rendered:
    """Subject, text and HTML of an immediate message or a digest."""
    if message.period == IMMEDIATE:
        return _render_one(message.items[0], message, site_name, site_url, extensions, configs)
    if len(message.items) == 1:  # a digest of one: the update itself, with its text
        one = _render_one(message.items[0], message, site_name, site_url, extensions, configs)
        return Rendered(f"{one.subject} ({message.period} digest)", one.text, one.html, one.link)
    return _render_digest(message, site_name, site_url)


def _footer(message: Message, site_url: str) -> tuple[str, str]:
    """How the reader chooses what they receive: their profile's `notify:`, or the topic's `chat:`."""
    if message.recipient.startswith("#"):
        tag = message.recipient[1:]
        text = f"This channel receives the questions on #{tag}: `chat:` in content/topics/{tag}.md."
        return text, f"<p><small>{html.escape(text)}</small></p>"
    where = f"content/people/{message.recipient}.md"
    text = (f"To choose what you receive, or stop it, set `notify:` in your profile ({where}); "
            f"see {page_link(site_url, PRIVACY_URL)}")
    return text, (f"<p><small>To choose what you receive, or stop it, set <code>notify:</code> in your profile "
                  f"(<code>{html.escape(where)}</code>); see <a href=\"{html.escape(page_link(site_url, PRIVACY_URL))}\">"
                  f"what wol publishes about you</a>.</small></p>")


def _render_one(d, message, site_name, site_url, extensions, configs) -> Rendered:
    link = page_link(site_url, d.event.url)
    line = headline(d)
    foot_text, foot_html = _footer(message, site_url)
    text = "\n\n".join(p for p in [line, d.event.excerpt, f"Open it: {link}", f"Why you get this: {d.reason}.",
                                    foot_text] if p) + "\n"
    excerpt = markdown_to_html(d.event.excerpt, extensions, configs) if d.event.excerpt else ""
    body = (f"<p><strong>{html.escape(line)}</strong></p>\n<blockquote>{excerpt}</blockquote>\n"
            f"<p><a href=\"{html.escape(link)}\">Open it on {html.escape(site_name)}</a></p>\n"
            f"<p>Why you get this: {html.escape(d.reason)}.</p>\n{foot_html}")
    return Rendered(f"[{site_name}] {line}", text, _page(sanitise(body)), link)


def group_by_topic(items) -> list[tuple[str, list]]:
    """(topic, deliveries newest first), the topic with the newest delivery first; "" gathers the rest."""
    groups: dict[str, list] = {}
    for item in sorted(items, key=lambda d: (d.event.date, d.id), reverse=True):
        groups.setdefault(item.topic, []).append(item)
    return list(groups.items())


def _render_digest(message: Message, site_name: str, site_url: str) -> Rendered:
    count = len(message.items)
    subject = f"[{site_name}] Your {message.period} digest: {count} update{'s' if count != 1 else ''}"
    lines, parts = [subject.split('] ', 1)[1], ""], []
    for topic, items in group_by_topic(message.items):
        heading = f"#{topic}" if topic else "Other"
        lines.append(heading)
        parts.append(f"<h2>{html.escape(heading)}</h2>\n<ul>")
        for d in items:
            link = page_link(site_url, d.event.url)
            lines.append(f"- {headline(d)}\n  {link}\n  Why: {d.reason}.")
            parts.append(f"<li><a href=\"{html.escape(link)}\">{html.escape(headline(d))}</a><br>"
                         f"<small>Why: {html.escape(d.reason)}.</small></li>")
        parts.append("</ul>")
        lines.append("")
    foot_text, foot_html = _footer(message, site_url)
    text = "\n".join(lines + [foot_text]) + "\n"
    body = f"<p><strong>{html.escape(lines[0])}</strong></p>\n" + "\n".join(parts) + "\n" + foot_html
    return Rendered(subject, text, _page(sanitise(body)), page_link(site_url, ""))


def _page(body: str) -> str:
    return f"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head><body>\n{body}\n</body></html>\n"


def render_chat_payload(rendered: Rendered, fmt: str, mention: str = "") -> dict:
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
                        "actions": [{"type": "Action.OpenUrl", "title": "Open", "url": rendered.link}]}}]}
    escaped = (who + rendered.text.strip()).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return {"text": escaped, "unfurl_links": False}
