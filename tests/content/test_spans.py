"""Hashtags and mentions, exactly by the SPEC's rules, as a document read from content/ carries them."""

import pytest
from hypothesis import given, settings, strategies as st

from wol.content.parse import parse_file
from wol.content.spans import find_spans, normalise_tag


def read_post(body: str):
    text = f"---\ntitle: A post\nauthor: alice\ndate: 2026-01-01\n---\n\n{body}\n"
    doc, problems = parse_file("posts/a-post.md", text, "content/posts/a-post.md")
    assert doc is not None, problems
    return doc


def find_hashtags(body: str) -> list[str]:
    return read_post(body).hashtags


def find_mentions(body: str) -> list[str]:
    return read_post(body).mentions


@pytest.mark.parametrize("text, tags", [
    ("We run #kubernetes in prod", ["kubernetes"]),
    ("#kubernetes at the start of a line", ["kubernetes"]),
    ("first\n#deploy on its own line", ["deploy"]),
    ("#Kubernetes #KUBERNETES #kubernetes", ["kubernetes"]),
    ("a tag with a hyphen #on-call and #snake_case", ["on-call", "snake_case"]),
    ("trailing #tag- and #other_ are trimmed", ["tag", "other"]),
    ("Unicode #café #données #日本語", ["café", "données", "日本語"]),
    ("(#paren) and 'quoted #q' and end #dot.", ["paren", "q", "dot"]),
    ("#2026 is not a tag, nor #_x, but #x2 is", ["x2"]),
])
def test_hashtags_are_found(text, tags):
    assert find_hashtags(text) == tags


@pytest.mark.parametrize("text", [
    "# Heading",
    "## Second heading",
    "colour `#fff` in code",
    "```\n#include <stdio.h>\n# comment\n```",
    "~~~python\n# just a comment #notatag\n~~~",
    "para\n\n    #indented code\n",
    "see https://wiki.example/page#section for more",
    "a link [here](https://x.example/#frag) and ![img](pic.png#anchor)",
    "<https://example.com/#auto>",
    '<span title="#attr">x</span>',
    "<!-- #comment -->",
    "it&#39;s an entity, and &#x27; too",
    "C#sharp and a/#path and x#y and @#z and ##double",
    "escaped \\#tag",
    "[ref]: https://example.com/#def",
])
def test_no_hashtag_where_the_spec_excludes_it(text):
    assert find_hashtags(text) == []


def test_hashtag_in_link_text_counts_but_is_marked_in_link():
    spans = find_spans("see [the #kafka guide](https://x.example/)")
    assert [(s.value, s.in_link) for s in spans] == [("kafka", True)]


def test_tags_are_case_folded_and_nfc_normalised():
    decomposed = "cafe\u0301"
    assert normalise_tag(decomposed) == normalise_tag("CAFÉ") == "café"
    assert find_hashtags(f"#{decomposed} #Café") == ["café"]


@pytest.mark.parametrize("text, handles", [
    ("thanks @alice", ["alice"]),
    ("@Alice and @BOB", ["alice", "bob"]),
    ("ask @alice. She knows", ["alice"]),
    ("ping @bob_ and @carol-", ["bob", "carol"]),
    ("@dana.smith knows", ["dana.smith"]),
    ("(cc @erin)", ["erin"]),
])
def test_mentions_are_found(text, handles):
    assert find_mentions(text) == handles


@pytest.mark.parametrize("text", [
    "mail alice@example.com",
    "`@alice` in code",
    "```\n@decorator\n```",
    "https://example.com/@alice",
    "[x](mailto:alice@example.com)",
    "<alice@example.com>",
    "x/@alice and x.@bob and @@carol",
])
def test_no_mention_where_the_spec_excludes_it(text):
    assert find_mentions(text) == []


def test_list_continuation_is_not_code():
    text = "- item\n\n    continued #para in the item\n"
    assert find_hashtags(text) == ["para"]


def test_fence_with_longer_closing_and_tilde():
    text = "````\n```\n#inner\n```\n````\nafter #out"
    assert find_hashtags(text) == ["out"]


CODE = st.text(alphabet=st.characters(blacklist_characters="`~\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"), max_size=40)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_extraction_never_crashes(text):
    for span in find_spans(text):
        assert text[span.start] in "#@"
        assert span.value


@settings(max_examples=300, deadline=None)
@given(before=st.text(max_size=60), code=CODE, after=st.text(max_size=60))
def test_a_tag_inside_fenced_code_is_never_found(before, code, after):
    # Whatever surrounds it, a closed fence starting on its own line hides its content.
    text = f"{before}\n\n```\n#inside{code}\n```\n\n{after}"
    start = text.index("```\n#inside")
    end = text.index("\n```", start + 3) + 4
    for span in find_spans(text):
        assert not (start <= span.start < end), (text, span)


@settings(max_examples=300, deadline=None)
@given(before=st.text(alphabet=st.characters(blacklist_characters="`"), max_size=60),
       code=st.text(alphabet=st.characters(blacklist_characters="`\n\r"), max_size=30))
def test_a_tag_inside_inline_code_is_never_found(before, code):
    text = f"{before} `#in{code}` after"
    start = text.rindex("`#in")
    for span in find_spans(text):
        assert not (start <= span.start < start + len(code) + 5), (text, span)
