"""Under `wol serve`, the site's static search index follows each save (on its own thread), and tells
the box to ask the live API."""

from __future__ import annotations

import zlib

from editor_server import wait_for


def test_a_saved_post_reaches_the_static_index_and_the_box_is_told_to_ask_the_live_api(client):
    meta = client.get("search/meta.json").json()
    assert meta["api"] == "api/search"
    made = client.as_("alice").post("api/documents", {"kind": "post", "title": "Quokkaplatypus sightings",
                                          "body": "Seen near the quokkaplatypus enclosure.", "tags": ""})
    assert made.status == 201, made.text

    def vocabulary():
        now = client.get("search/meta.json").json()
        shard = client.get(f"search/v/{zlib.crc32(b'quokkaplatypus') % now['vocab']}.json").json()
        return shard.get("quokkaplatypus")

    assert wait_for(vocabulary) == "quokkaplatypu"
    hits = client.get("api/search?q=quokkaplatypus").json()
    assert hits[0]["title"] == "Quokkaplatypus sightings"
