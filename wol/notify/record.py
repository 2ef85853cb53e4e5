"""The record of what was sent, and the plan of one run over it. Pure: `wol/commands/notify.py` stores the
record as one JSON file on a Git ref (`refs/wol/notify`), moved by compare-and-swap.

A run claims the messages it is about to send (the claim is saved before any is sent, so a concurrent
run sees it and leaves them alone), marks each one sent or failed, and releases its claim. A failed
message stays in the outbox and is tried again by the next run; a claim older than CLAIM_MINUTES was
left by a run that stopped, and its messages are tried again too.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import datetime, timedelta

from .events import Event
from .routing import DAILY, IMMEDIATE, WEEKLY, Delivery
from .wording import SAID, Why

VERSION = 1
CLAIM_MINUTES = 30
MAX_ATTEMPTS = 5
DIGEST_EVERY = {DAILY: timedelta(hours=23), WEEKLY: timedelta(days=7) - timedelta(hours=1)}  # a run's jitter


@dataclass
class Message:
    """What one send delivers: one delivery (immediate), or a digest of several for one recipient."""

    id: str
    recipient: str
    channel: str
    address: str
    name: str
    period: str  # immediate | daily | weekly
    items: list  # Delivery
    attempts: int = 0
    error: str = ""

    @property
    def digest_key(self) -> str:
        return f"{self.recipient}>{self.channel}>{self.period}"


@dataclass
class Record:
    """What every run so far did: the commit it read up to, what was sent, what waits, who is sending."""

    since: str | None = None  # the commit whose content the last run had seen
    started: str = ""
    sent: set = field(default_factory=set)  # delivery and message ids
    routed: set = field(default_factory=set)  # event ids already routed: an event is routed once, when it happens
    queue: list = field(default_factory=list)  # Delivery: waiting for a digest
    outbox: list = field(default_factory=list)  # Message: to send (new, failed before, or claimed)
    claims: dict = field(default_factory=dict)  # run id → {"at": ISO time, "ids": [message id]}
    digests: dict = field(default_factory=dict)  # Message.digest_key → ISO time of the last digest sent
    dropped: dict = field(default_factory=dict)  # message id → the last error, after MAX_ATTEMPTS


def plan_run(record: Record, deliveries, now: datetime, run: str, present=None) -> tuple[Record, list[Message]]:
    """The record with this run's new deliveries and claim, and the messages this run sends (in order).

    `present`: the handles who may still receive (None: everyone); what waited for anyone else is dropped.
    """
    rec = _copy(record)
    if present is not None:
        def stays(who):
            return who.startswith("#") or who in present
        rec.queue = [d for d in rec.queue if stays(d.recipient)]
        rec.outbox = [m for m in rec.outbox if stays(m.recipient)]
    live = set()
    for other, claim in list(rec.claims.items()):
        if datetime.fromisoformat(claim["at"]) > now - timedelta(minutes=CLAIM_MINUTES):
            live |= set(claim["ids"])
        else:
            del rec.claims[other]  # that run stopped: what it did not mark sent is tried again
    known = set(rec.sent) | {d.id for d in rec.queue} | {i.id for m in rec.outbox for i in m.items}
    for delivery in deliveries:
        if delivery.id in known:
            continue
        known.add(delivery.id)
        if delivery.mode == IMMEDIATE:
            rec.outbox.append(Message(delivery.id, delivery.recipient, delivery.channel, delivery.address,
                                      delivery.name, IMMEDIATE, [delivery]))
        else:
            rec.queue.append(delivery)
    rec.outbox += _due_digests(rec, now)
    for message in [m for m in rec.outbox if m.attempts >= MAX_ATTEMPTS]:
        rec.outbox.remove(message)
        rec.dropped[message.id] = message.error
    sending = [m for m in rec.outbox if m.id not in live]
    rec.claims[run] = {"at": now.isoformat(), "ids": [m.id for m in sending]}
    return rec, sending


def _due_digests(rec: Record, now: datetime) -> list[Message]:
    groups: dict[str, list[Delivery]] = {}
    for delivery in rec.queue:
        groups.setdefault(f"{delivery.recipient}>{delivery.channel}>{delivery.mode}", []).append(delivery)
    due = []
    for key, items in groups.items():
        last = rec.digests.get(key)
        if last is not None and now - datetime.fromisoformat(last) < DIGEST_EVERY[items[0].mode]:
            continue
        first = items[0]
        due.append(Message(f"digest:{key}>{now.isoformat()}", first.recipient, first.channel, first.address,
                           first.name, first.mode, items))
        for item in items:
            rec.queue.remove(item)
    return due


def mark_sent(rec: Record, message: Message, now: datetime) -> None:
    rec.outbox = [m for m in rec.outbox if m.id != message.id]
    rec.sent.add(message.id)
    rec.sent.update(item.id for item in message.items)
    if message.period != IMMEDIATE:
        rec.digests[message.digest_key] = now.isoformat()


def mark_failed(rec: Record, message: Message, error: str) -> None:
    for m in rec.outbox:
        if m.id == message.id:
            m.attempts += 1
            m.error = error


def release(rec: Record, run: str) -> None:
    rec.claims.pop(run, None)


# -- the record as JSON ------------------------------------------------------------------------------

def render_record(rec: Record) -> bytes:
    data = {"version": VERSION, "since": rec.since, "started": rec.started, "sent": sorted(rec.sent),
            "routed": sorted(rec.routed),
            "queue": [asdict(d) for d in rec.queue], "outbox": [_message_dict(m) for m in rec.outbox],
            "claims": rec.claims, "digests": rec.digests, "dropped": rec.dropped}
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n").encode("utf-8")


def parse_record(data: bytes) -> Record:
    """The record from its JSON; a record wol cannot read is a ValueError saying why."""
    try:
        raw = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"is not valid JSON ({exc})") from None
    if not isinstance(raw, dict) or raw.get("version") != VERSION:
        raise ValueError(f"is not a version {VERSION} record of wol notify")
    return Record(since=raw.get("since"), started=raw.get("started", ""), sent=set(raw.get("sent", [])),
                  routed=set(raw.get("routed", [])),
                  queue=[_delivery(d) for d in raw.get("queue", [])],
                  outbox=[_message(m) for m in raw.get("outbox", [])], claims=raw.get("claims", {}),
                  digests=raw.get("digests", {}), dropped=raw.get("dropped", {}))


def _message_dict(m: Message) -> dict:
    data = asdict(m)
    data["items"] = [asdict(i) for i in m.items]
    return data


def _message(data: dict) -> Message:
    return Message(**{**data, "items": [_delivery(i) for i in data["items"]]})


def _delivery(data: dict) -> Delivery:
    """A queued delivery as a record holds it; one written by an older wol (a reason as text, an event's
    `detail`) still reads: the text is said as it was."""
    names = {f.name for f in fields(Event)}
    event = {key: value for key, value in data["event"].items() if key in names}
    event["topics"] = tuple(event.get("topics", ()))
    reason = data.get("reason")
    why = Why(**reason) if isinstance(reason, dict) else Why(SAID, text=str(reason or ""))
    return Delivery(**{**data, "event": Event(**event), "reason": why})


def _copy(rec: Record) -> Record:
    return replace(rec, sent=set(rec.sent), routed=set(rec.routed), queue=list(rec.queue),
                   outbox=[replace(m, items=list(m.items)) for m in rec.outbox], claims=dict(rec.claims),
                   digests=dict(rec.digests), dropped=dict(rec.dropped))
