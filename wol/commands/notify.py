"""`wol notify [--dry-run]`: tell people what concerns them since the last run, exactly once.

Reads the committed content at HEAD and at the commit the last run had seen, derives the events between
them (wol/notify/events.py), routes them (routing.py), plans the run over the record of what was sent
(record.py), then sends by e-mail (engines/mail.py) and chat webhooks (engines/chat.py). The record is
one JSON file on the ref `wol.notify.ref` (refs/wol/notify), pushed to origin with a lease.
"""

from __future__ import annotations

import os
import socket
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone

from ..content.load import TEXT_SUFFIXES, parse_bytes, replace_files
from ..engines import gitrepo
from ..engines.chat import post_webhook
from ..engines.mail import Mailer, SendFailed
from ..i18n import translator
from ..knowledge import Knowledge, derive
from ..notify.events import find_events, find_overdue
from ..notify.messages import render_chat_payload, render_message
from ..notify.record import MAX_ATTEMPTS, Record, mark_failed, mark_sent, parse_record, plan_run, release, render_record
from ..notify.routing import CHAT, EMAIL, Channels, route
from ..problems import WolError
from ..settings import Settings

RECORD_FILE = "notify.json"
LEASE_TRIES = 5
CHECKPOINT_MESSAGES = 50  # the record is saved after this many sends (and at the end): what a crash may repeat
CHECKPOINT_SECONDS = 10.0


@dataclass
class Outcome:
    """What a run did (or, with --dry-run, would do)."""

    first_run: bool = False
    messages: list = field(default_factory=list)  # Message: sent, or planned with --dry-run
    failed: list = field(default_factory=list)  # (Message, reason)
    queued: int = 0  # deliveries waiting for a digest
    busy: int = 0  # messages another run is sending right now
    notes: list = field(default_factory=list)


def notify(settings: Settings, dry_run: bool = False, since: str | None = None, now: datetime | None = None,
           echo=lambda message: None) -> Outcome:
    """One run: derive, route, claim, send, record. With dry_run, only say what would be sent.

    `echo` hears of progress while a long run sends.
    """
    outcome = Outcome()
    channels = _channels(settings, dry_run, outcome)
    if channels is None:
        return outcome
    now = now or datetime.now(timezone.utc)
    head = gitrepo.head_sha(settings.root)
    if head is None:
        raise WolError("the repository has no commit yet: wol notify reads committed content")
    since = _resolve(settings, since) if since is not None else None
    working, graph = Knowledge(settings).current()
    content = committed_content(settings, working)
    after = graph if content is working else derive(content)
    outcome.notes += _unknown_webhooks(content, settings.notify.webhooks)
    cfg = settings.notify
    topic_chats = {tag: tf.chat for tag, tf in content.topic_files.items() if tf.chat}

    def deliveries_for(events):
        return route(events, after, cfg.experts, cfg.escalate_experts, channels, topic_chats,
                     cfg.escalate_after_hours)

    run = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
    graphs = {head: after}
    for _ in range(LEASE_TRIES):
        base = gitrepo.fetch_ref(settings.root, cfg.ref)
        record = _read_record(settings, base)
        if record is None and since is None:  # the first run: remember where we start, send nothing
            outcome.first_run = True
            start = Record(since=head, started=now.isoformat())
            start.routed = {e.id for e in find_overdue(after, now, cfg.escalate_after_hours)}  # old news
            if not dry_run and not _claim(settings, start, None, f"wol notify: start at {head[:12]}"):
                continue
            return outcome
        record = record or Record(started=now.isoformat())
        seen = since or record.since or head
        if seen not in graphs:
            graphs[seen] = derive(content_at(settings, content, head, seen))
        events = [e for e in find_events(graphs[seen], after, now, cfg.escalate_after_hours)
                  if e.id not in record.routed]
        present = {h for h, person in after.people.items() if not person.has_left}
        planned, sending = plan_run(record, deliveries_for(events), now, run, present)
        planned.since = head
        planned.routed |= {e.id for e in events}
        if dry_run or (not sending and render_record(_without(planned, run)) == render_record(record)):
            _tell(outcome, record, planned, run, sending if dry_run else [])
            return outcome  # a dry run, or nothing new: the record stays as it is
        claimed = _claim(settings, planned, base, f"wol notify: {len(sending)} message(s) claimed by {run}")
        if claimed:
            break
    else:
        raise WolError(f"other wol notify runs kept moving {cfg.ref}; nothing was sent, try again")
    _tell(outcome, record, planned, run, [])
    _send_all(settings, planned, sending, claimed, run, now, outcome, echo)
    return outcome


def _channels(settings: Settings, dry_run: bool, outcome: Outcome) -> Channels | None:
    """The channels to route to (None: nothing to do), after the checks that need no Git."""
    cfg = settings.notify
    if not cfg.channels_configured:
        if not dry_run:
            outcome.notes.append("nothing is sent: no channel is configured (wol.notify.smtp or "
                                 "wol.notify.webhooks in mkdocs.yml)")
            return None
        outcome.notes.append("no channel is configured yet: e-mail is shown as if wol.notify.smtp were set")
        return Channels(email=True)
    if cfg.smtp_host and not dry_run:
        Mailer(cfg).credentials()  # a login missing from the environment stops the run before anything is claimed
    if not settings.site_url:
        outcome.notes.append("site_url is not set in mkdocs.yml: messages link to paths such as /questions/x/, "
                             "not to addresses a reader can open")
    return Channels(email=bool(cfg.smtp_host), webhooks=frozenset(cfg.webhooks))


def _tell(outcome: Outcome, record: Record, planned: Record, run: str, planned_messages) -> None:
    outcome.messages = list(planned_messages)
    outcome.queued = len(planned.queue)
    outcome.busy = sum(len(c["ids"]) for r, c in planned.claims.items() if r != run)
    outcome.notes += [f"gave up on {key} after {MAX_ATTEMPTS} failed runs: {planned.dropped[key]}"
                      for key in sorted(set(planned.dropped) - set(record.dropped))]


def _claim(settings: Settings, record: Record, base: str | None, message: str) -> str | None:
    """Save the record over base (compare-and-swap); None when another run moved it first."""
    try:
        return gitrepo.commit_ref_file(settings.root, settings.notify.ref, RECORD_FILE, render_record(record),
                                       base, message)
    except gitrepo.LeaseLost:
        return None


def _send_all(settings, record, sending, claimed, run, now, outcome, echo) -> None:
    """Send each claimed message, saving progress every CHECKPOINT_MESSAGES or CHECKPOINT_SECONDS."""
    cfg = settings.notify
    last_save, since_save = time.monotonic(), 0
    with Mailer(cfg) as mailer:
        for number, message in enumerate(sending, start=1):
            try:
                _send(settings, mailer, message)
            except SendFailed as exc:
                mark_failed(record, message, str(exc))
                outcome.failed.append((message, str(exc)))
            else:
                mark_sent(record, message, now)
                outcome.messages.append(message)
            since_save += 1
            if since_save >= CHECKPOINT_MESSAGES or time.monotonic() - last_save > CHECKPOINT_SECONDS:
                claimed = _save(settings, record, claimed, f"wol notify: progress of {run}")
                last_save, since_save = time.monotonic(), 0
                echo(f"{number} of {len(sending)} message(s) handled")
    release(record, run)
    _save(settings, record, claimed, f"wol notify: {len(outcome.messages)} sent, {len(outcome.failed)} failed "
                                     f"({run})")


def _save(settings, record, expect, message) -> str:
    try:
        return gitrepo.commit_ref_file(settings.root, settings.notify.ref, RECORD_FILE, render_record(record),
                                       expect, message)
    except gitrepo.LeaseLost:
        raise WolError(f"{settings.notify.ref} was moved by another run while this one was sending (its claim "
                       f"had expired?); what this run sent since its last save may be sent again") from None


def _send(settings: Settings, mailer: Mailer, message) -> None:
    words = translator(settings.locale)
    rendered = render_message(message, settings.site_name, settings.site_url, settings.markdown_extensions,
                              settings.mdx_configs, words)
    if message.channel == EMAIL:
        mailer.send(message.name, message.address, rendered.subject, rendered.text, rendered.html,
                    headers={"X-Wol-Notification": message.id[:900]})
    elif message.channel == CHAT:
        hook = settings.notify.webhooks.get(message.address)
        if hook is None:
            raise SendFailed(f"the webhook {message.address} is no longer in wol.notify.webhooks")
        post_webhook(hook, render_chat_payload(rendered, hook.format, message.recipient, words))


def _read_record(settings: Settings, sha: str | None) -> Record | None:
    if sha is None:
        return None
    data = gitrepo.read_ref_file(settings.root, sha, RECORD_FILE)
    try:
        if data is None:
            raise ValueError(f"holds no {RECORD_FILE}")
        return parse_record(data)
    except ValueError as exc:
        raise WolError(f"{settings.notify.ref} ({sha[:12]}) {exc}; delete it to start again "
                       f"(git update-ref -d {settings.notify.ref}, and on origin)") from None


def _without(record: Record, run: str) -> Record:
    from dataclasses import replace
    return replace(record, claims={r: c for r, c in record.claims.items() if r != run})


def _resolve(settings: Settings, rev: str) -> str:
    from ..engines.gitrepo import require_repo
    try:
        return require_repo(settings.root).commit(rev).hexsha
    except Exception:
        raise WolError(f"--since {rev}: no such commit in this repository") from None


def _unknown_webhooks(content, webhooks) -> list[str]:
    notes = []
    for tag, tf in sorted(content.topic_files.items()):
        if tf.chat and tf.chat not in webhooks:
            notes.append(f"{tf.path}:{tf.lines.get('chat', 2)}: chat: {tf.chat} names no webhook of "
                         f"wol.notify.webhooks in mkdocs.yml; nothing is posted for #{tag}")
    for handle, person in sorted(content.people.items()):
        hook = ((person.notify or {}).get(CHAT) or {}).get("webhook")
        if hook and hook not in webhooks:
            notes.append(f"{person.path}:{person.lines.get('notify', 2)}: notify: chat: webhook: {hook} names no "
                         f"webhook of wol.notify.webhooks in mkdocs.yml; nothing is posted for @{handle}")
    return notes


# -- the content as committed ----------------------------------------------------------------------

def committed_content(settings: Settings, content):
    """The content as HEAD holds it: the working copy's, with files that differ from HEAD read from HEAD."""
    dirty = gitrepo.dirty_paths(settings.root, settings.content_dir)
    return _patched(settings, content, "HEAD", dirty) if dirty else content


def content_at(settings: Settings, head_content, head: str, rev: str):
    """The content at commit rev, from HEAD's: only the files that differ are read from Git."""
    if not gitrepo.has_commit(settings.root, rev):
        raise WolError(f"the last run read up to commit {rev[:12]}, which is not in this clone: fetch the whole "
                       f"history (git fetch --unshallow; in CI, fetch-depth: 0) and run again")
    changed = gitrepo.changed_between(settings.root, rev, head)
    return _patched(settings, head_content, rev, changed)


def _patched(settings: Settings, content, rev: str, paths):
    prefix = settings.content_dir.rstrip("/") + "/"
    paths = [p for p in paths if p.startswith(prefix)]
    blobs = gitrepo.blobs_at(settings.root, rev, paths)
    parsed = {p: parse_bytes(p[len(prefix):], data, p) for p, data in blobs.items()
              if p.endswith(TEXT_SUFFIXES) and not any(part.startswith(".") for part in p.split("/"))}
    return replace_files(content, parsed, [p for p in paths if p not in blobs])


def describe(message) -> str:
    """`e-mail to Bob Okafor <bob@example.com> (immediate): subject` — one line of --dry-run's list."""
    from ..notify.messages import headline
    from ..notify.wording import say_why
    to = (f"e-mail to {message.name} <{message.address}>" if message.channel == EMAIL
          else f"chat ({message.address}) to {message.recipient if message.recipient.startswith('#') else '@' + message.recipient}")
    if len(message.items) == 1:
        item = message.items[0]
        when = "" if message.period == "immediate" else f" ({message.period} digest)"
        return f"{to}{when}: {headline(item)} — because {say_why(item.reason)}"
    items = "".join(f"\n    {headline(i)} — because {say_why(i.reason)}" for i in message.items)
    return f"{to}: {message.period} digest of {len(message.items)} updates:{items}"


def render_outcome(outcome: Outcome, dry_run: bool) -> str:
    """What a person running `wol notify` reads."""
    if outcome.first_run:
        return ("First run: wol notify starts here. Nothing was sent; events from the next commit on will be "
                "(use --since REV to send what happened since a commit)." if not dry_run else
                "First run: nothing would be sent; the run would record where notifications start.")
    lines = []
    if dry_run:
        lines += [f"Would send {len(outcome.messages)} message(s):"] + [f"  {describe(m)}" for m in outcome.messages]
    else:
        lines.append(f"Sent {len(outcome.messages)} message(s).")
        lines += [f"  {describe(m)}" for m in outcome.messages]
        for message, reason in outcome.failed:
            lines.append(f"  NOT SENT (tried again next run): {describe(message)}: {reason}")
    if outcome.queued:
        lines.append(f"{outcome.queued} update(s) wait for their daily or weekly digest.")
    if outcome.busy:
        lines.append(f"{outcome.busy} message(s) are being sent by another run right now.")
    return "\n".join(lines)
