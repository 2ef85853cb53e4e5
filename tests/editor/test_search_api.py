"""GET /api/search, as the site's search box asks it under `wol serve`: the live index, with filters."""

from __future__ import annotations


def ids(response) -> list[str]:
    assert response.status == 200, response.text
    return [hit["id"] for hit in response.json()]


def test_search_answers_with_what_the_box_shows(client):
    hits = client.get("api/search?q=consumer%20lag").json()
    question = next(h for h in hits if h["id"] == "questions/why-lag")
    assert question["url"] == "/questions/why-lag/"
    assert question["state"] == "answered" and question["topics"] == ["kafka"]
    assert "<mark>" in question["snippet"]


def test_search_keeps_only_the_kind_state_and_topic_asked_for(client):
    assert ids(client.get("api/search?q=kafka&kind=question")) == ["questions/why-lag"]
    assert ids(client.get("api/search?q=kafka&kind=question&state=solved")) == []
    assert ids(client.get("api/search?q=kafka&kind=question&state=answered")) == ["questions/why-lag"]
    assert "posts/2026/kafka-retention" not in ids(client.get("api/search?q=kafka&kind=topic"))
    on_kafka = {"posts/2026/kafka-retention", "questions/why-lag", "topics/kafka"}
    assert set(ids(client.get("api/search?q=ops%20note%20kafka&topic=%23Kafka"))) == on_kafka
    assert ids(client.get("api/search?q=ops%20note%20kafka&topic=kafka&topic=ops")) == []  # every topic asked


def test_search_refuses_an_unknown_kind_or_state(client):
    response = client.get("api/search?q=kafka&kind=pages")
    assert response.status == 422 and "kind" in response.json()["error"]
    assert client.get("api/search?q=kafka&state=closed").status == 422


def test_a_solved_question_says_who_wrote_the_accepted_answer(client):
    alice = client.as_("alice")
    assert alice.post("api/questions/why-lag/accept", {"answer": "bob"}).status == 200
    question = client.get("api/search?q=consumer%20lag&kind=question").json()[0]
    assert question["state"] == "solved" and question["answered_by"] == "Bob Okafor"
    assert question["answer"].startswith("Rebalancing")
