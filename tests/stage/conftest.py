"""A small knowledge base written inline, loaded into a graph and staged once per module."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from knowledge_base import doc, person, write_kb
from wol.knowledge import load_graph
from wol.settings import load_settings
from wol.stage import Staged, stage_site

MD_LINK = re.compile(r"\]\(([^)\s]+)\)")
SCRIPT_TITLE = "<script>alert(1)</script> & *friends*"

PEOPLE = {
    "alice": ("Alice Martin", "platform"),
    "bob": ("Bob Okafor", "data"),
    "carol": ("Carol Diaz", "support"),
    "erin": ("Erin Walsh", "data"),
}

FILES = {
    "people/dana.md": person("Dana Kowalczyk", "support", "dana", extra="left: 2026-02-28\n"),
    "people/erin.md": person("Erin Walsh", "data", "erin", extra="expertise: [kafka, gardening]\ntitle: Data engineer\n"),
    "topics/kubernetes.md": "---\ntitle: Kubernetes\naliases: [k8s]\nfacilitators: [alice]\n---\n\n"
                            "Our clusters. Related: #kafka, ask @alice.\n",
    "posts/2026/kafka-lag.md": doc("Kafka lag alerts", "bob", "2026-03-02", """
        #kafka lag alerts, the quiet way.

        We page on time lag now. Ask @alice or @nobody about #k8s.
        """),
    "posts/2026/cluster-notes.md": doc("Cluster notes", "alice", "2026-03-01", """
        Draining nodes on #kubernetes, with help from @dana.
        """),
    "posts/2026/script.md": doc(SCRIPT_TITLE, "carol", "2026-03-03", "A title that tries to inject #security."),
    "posts/2026/secret.md": doc("Secret draft plan", "alice", "2026-03-09", "Not yet #drafttopic @bob.",
                                extra="draft: true\n"),
    "questions/reset-token/index.md": doc("How do I reset my VPN token?", "carol", "2026-02-01",
                                          "It says *token not enrolled*. #vpn", extra="accepted: dana\n"),
    "questions/reset-token/answers/alice.md": doc(None, "alice", "2026-02-02", "Try turning it off and on."),
    "questions/reset-token/answers/bob.md": doc(None, "bob", "2026-02-03", "Use the portal, @carol."),
    "questions/reset-token/answers/dana.md": doc(None, "dana", "2026-02-04", "Re-enrol it: **Access → Tokens**."),
    "questions/reset-token/answers/erin.md": doc(None, "erin", "2026-02-05", "Draft answer text.",
                                                 extra="draft: true\n"),
    "questions/gpu-nodes/index.md": doc("Can we get GPU nodes?", "bob", "2026-03-04", "For #kubernetes staging."),
    "votes/alice.txt": "questions/reset-token/answers/bob\nposts/2026/kafka-lag\n",
    "votes/erin.txt": "questions/reset-token/answers/bob\nposts/2026/kafka-lag\nquestions/reset-token/answers/dana\n",
}


@dataclass
class Site:
    graph: object
    settings: object
    staged: Staged

    script_title = SCRIPT_TITLE

    def meta(self, path: str) -> dict:
        return self.staged.pages[path].meta

    def body(self, path: str) -> str:
        return self.staged.pages[path].markdown

    def relative_links(self, path: str) -> list[str]:
        """The relative link destinations of a staged page."""
        return [m for m in MD_LINK.findall(self.body(path)) if not re.match(r"^[a-z]+:|^/|^#", m)]


def build_site(root) -> Site:
    settings = load_settings(root)
    graph = load_graph(settings)
    return Site(graph, settings, stage_site(graph, settings))


@pytest.fixture(scope="module")
def kb_root(tmp_path_factory):
    return write_kb(tmp_path_factory.mktemp("stage") / "kb", FILES, people=PEOPLE, use_git=False)


@pytest.fixture(scope="module")
def site(kb_root) -> Site:
    return build_site(kb_root)


@pytest.fixture
def make_site(tmp_path):
    """A factory: make_site({path under content/: text}) → a staged Site of that knowledge base."""
    def make(files: dict, **kwargs) -> Site:
        return build_site(write_kb(tmp_path / "kb", files, use_git=False, **kwargs))
    return make


