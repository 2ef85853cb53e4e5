"""The plan over the record, pure: claims keep concurrent runs apart, an abandoned claim is retried, digests wait."""

from datetime import datetime, timedelta, timezone

from wol.notify.events import Event
from wol.notify.record import (CLAIM_MINUTES, Record, mark_failed, mark_sent, parse_record, plan_run, release,
                               render_record)
from wol.notify.routing import Delivery

NOW = datetime(2026, 4, 1, 9, tzinfo=timezone.utc)


def delivery(event_id: str, to: str, mode: str = "immediate", topic: str = "kafka") -> Delivery:
    event = Event(event_id, "mention", "posts/x", "X", "posts/x/", "bob", "2026-04-01T08:00:00+00:00", (topic,))
    return Delivery(f"{event_id}>{to}>email", event, to, "email", mode, "@bob mentioned you", topic,
                    f"{to}@example.com", to.title())


def test_a_claimed_message_is_left_alone_by_another_run_until_the_claim_expires():
    first, sending = plan_run(Record(since="a"), [delivery("m1", "carol")], NOW, "run-1")
    assert [m.id for m in sending] == ["m1>carol>email"]
    stored = parse_record(render_record(first))  # what the second run reads from the ref
    _, other = plan_run(stored, [delivery("m1", "carol")], NOW + timedelta(minutes=5), "run-2")
    assert other == []  # run-1 is sending it
    later, retried = plan_run(stored, [], NOW + timedelta(minutes=CLAIM_MINUTES + 1), "run-3")
    assert [m.id for m in retried] == ["m1>carol>email"] and "run-1" not in later.claims  # run-1 stopped


def test_a_sent_message_is_never_planned_again_and_a_failed_one_is():
    rec, sending = plan_run(Record(), [delivery("m1", "carol"), delivery("m2", "dan")], NOW, "run")
    mark_sent(rec, sending[0], NOW)
    mark_failed(rec, sending[1], "451 try later")
    release(rec, "run")
    again, resend = plan_run(parse_record(render_record(rec)), [delivery("m1", "carol"), delivery("m2", "dan")],
                             NOW, "run-2")
    assert [(m.id, m.attempts, m.error) for m in resend] == [("m2>dan>email", 1, "451 try later")]


def test_a_digest_gathers_a_persons_updates_and_waits_a_day_for_the_next():
    rec, sending = plan_run(Record(), [delivery("m1", "carol", "daily"), delivery("m2", "carol", "daily"),
                                       delivery("m3", "dan", "weekly")], NOW, "run")
    assert sorted((m.recipient, m.period, len(m.items)) for m in sending) == [("carol", "daily", 2),
                                                                              ("dan", "weekly", 1)]
    for m in sending:
        mark_sent(rec, m, NOW)
    release(rec, "run")
    rec, sending = plan_run(rec, [delivery("m4", "carol", "daily"), delivery("m5", "dan", "weekly")],
                            NOW + timedelta(hours=12), "run")
    assert sending == [] and len(rec.queue) == 2
    release(rec, "run")
    rec, sending = plan_run(rec, [], NOW + timedelta(days=1), "run")
    assert [(m.recipient, [i.id for i in m.items]) for m in sending] == [("carol", ["m4>carol>email"])]


def test_what_waited_for_someone_who_left_or_was_forgotten_is_dropped():
    rec = Record(queue=[delivery("m1", "carol", "daily"), delivery("m2", "quinn", "daily")])
    after, sending = plan_run(rec, [], NOW, "run", present={"carol"})
    assert [m.recipient for m in sending] == ["carol"] and after.queue == []
