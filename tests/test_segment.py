"""Segmentation: what becomes a msgid, what stays skeleton, and the byte-exact round trip."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from translate.segment.document import parse_document

DATA = Path(__file__).parent / "data"


def msgids(text: str, fmt: str) -> list[str]:
    return [s.msgid for s in parse_document(text, "x", fmt).segments]


def kinds(text: str, fmt: str) -> dict[str, str]:
    return {s.msgid: s.kind for s in parse_document(text, "x", fmt).segments}


# -- plain text ---------------------------------------------------------------------------------


def test_text_paragraphs_are_split_into_sentences():
    text = "Title line\n\nFirst sentence here. Second one, by Dr. Smith of the U.S. team.\n"
    assert msgids(text, "txt") == ["Title line", "First sentence here.", "Second one, by Dr. Smith of the U.S. team."]


def test_hard_wrapped_paragraph_is_unwrapped_in_the_msgid_and_restored():
    text = "This sentence is\n   wrapped over  \nthree lines. And another\none.\n"
    doc = parse_document(text, "x", "txt")
    assert [s.msgid for s in doc.segments] == ["This sentence is wrapped over three lines.", "And another one."]
    assert doc.render() == text


def test_text_list_items_are_segments_with_their_kind():
    text = "Changes:\n\n  * Fixed the parser.\n  * Added a flag\n    that wraps.\n"
    k = kinds(text, "txt")
    assert k["Fixed the parser."] == "list item"
    assert k["Added a flag that wraps."] == "list item"


def test_url_only_and_number_only_paragraphs_are_not_segments():
    text = "https://example.org/a.b\n\n2018\n\nSee https://example.org/docs for more.\n"
    assert msgids(text, "txt") == ["See https://example.org/docs for more."]


def test_press_release_segments():
    text = (Path(__file__).parent.parent / "source" / "labor-migration-governance.txt").read_text(encoding="utf-8")
    ids = msgids(text, "txt")
    assert ids[0] == "Central and North American Countries Discuss Labor Migration Governance"
    assert ids[1] == "9 October, 2018"
    assert any("International Lbour Organization (ILO)" in m for m in ids)  # the source is the truth
    assert "Over 25 million nationals in the Americas live outside their country of origin." in ids
    assert ids[-1].startswith("For more information, please contact Alexandra Bonnie")
    assert all("\n" not in m for m in ids)


# -- Markdown ----------------------------------------------------------------------------------

MD = """---
title: Front matter is skeleton
---

# A heading without a full stop

Some *emphasis* and a [link to the docs](https://example.org/docs.html) in a sentence. Then
a second sentence that wraps.

> Quoted text here.
> It continues.

- Item one
  - Nested item with `inline code` inside
- Item two

| Name | Description |
|------|-------------|
| foo  | Does the foo thing |

![A diagram of the flow](img/flow.png)

[Download the report](https://example.org/report.pdf)

```python
print("code is never a msgid")
```

    indented code too

<div class="note">HTML blocks are skeleton.</div>

`only_code()`

Setext heading
--------------
"""


def test_markdown_segments_and_kinds():
    k = kinds(MD, "md")
    assert k["A heading without a full stop"] == "heading (level 1)"
    assert k["Setext heading"] == "heading (level 2)"
    assert (
        k["Some *emphasis* and a [link to the docs](https://example.org/docs.html) in a sentence."] == "paragraph"
    )
    assert k["Then a second sentence that wraps."] == "paragraph"
    assert k["Quoted text here."] == "blockquote"
    assert k["It continues."] == "blockquote"
    assert k["Item one"] == "list item"
    assert k["Nested item with `inline code` inside"] == "list item"
    assert k["Name"] == "table header"
    assert k["Does the foo thing"] == "table cell"
    assert k["A diagram of the flow"] == "image alt text"
    assert k["Download the report"] == "link text"


def test_markdown_never_makes_msgids_of_code_html_front_matter_or_urls():
    ids = msgids(MD, "md")
    joined = "\n".join(ids)
    for bad in ("print(", "indented code", "HTML blocks", "title:", "only_code", "img/flow.png", "report.pdf"):
        assert bad not in joined, bad


def test_markdown_round_trip_of_the_sample():
    assert parse_document(MD, "x", "md").render() == MD


def test_sentence_boundary_never_falls_inside_a_link():
    text = "Read [the guide. It is short](https://x.org/a.b) today. Done.\n"
    assert msgids(text, "md") == ["Read [the guide. It is short](https://x.org/a.b) today.", "Done."]


def test_identical_sentences_come_once_per_position():
    text = "Hello there.\n\nHello there.\n"
    segs = list(parse_document(text, "x", "txt").segments)
    assert [(s.msgid, s.line) for s in segs] == [("Hello there.", 1), ("Hello there.", 3)]


@pytest.mark.parametrize(
    "text",
    [
        "Line one.\r\nLine two.\r\n\r\nPara two.",  # CRLF, no final newline
        "Tabs\there.\n\n\n\n\tIndented by a tab.\n",  # tabs, blank-line runs
        "Trailing spaces.   \nNext line.  \n",
        "Emoji 🎉 and ñandú, naïve café.\n",
        "\ufeffBOM at start. Then text.\n",
        "Form\x0cfeed inside a line. Ok.\n",
        "Only\rold mac line ends.\r",
    ],
)
@pytest.mark.parametrize("fmt", ["txt", "md"])
def test_byte_exact_round_trip_of_awkward_text(text, fmt):
    doc = parse_document(text, "x", fmt)
    assert doc.render() == text
    for s in doc.segments:
        assert "\n" not in s.msgid and "\r" not in s.msgid
        assert s.msgid == s.msgid.strip()


def test_spanish_rendering_rewraps_to_the_source_width():
    text = "The first sentence is here and it is\nwrapped at about forty columns wide.\n"
    doc = parse_document(text, "x", "txt")
    out = doc.render(lambda seg: "La primera frase está aquí y está envuelta en unas cuarenta columnas de ancho.")
    lines = out.split("\n")
    assert len(lines) > 2
    assert all(len(line) <= 37 for line in lines if " " in line)
    assert " ".join(out.split()) == "La primera frase está aquí y está envuelta en unas cuarenta columnas de ancho."


def test_spanish_rendering_keeps_markdown_prefixes():
    text = "> Quoted text that\n> wraps here.\n"
    doc = parse_document(text, "x", "md")
    out = doc.render(lambda seg: "Texto citado que se envuelve aquí también con más palabras.")
    assert all(line.startswith("> ") for line in out.splitlines())


# -- property tests -----------------------------------------------------------------------------

WORDS = st.sampled_from(
    "the U.S. Dr. 4.5 a e.g. café 🎉 “quoted.” (paren) ... x! why? ñ Mr. 3rd * - # > | ` [link](http://a.b/c) "
    "**bold** _em_ 1. 2) + ~~~ ``` <b> &amp; \\ : ; , — – ' \" {x} %s".split(" ")
)
SEPS = st.sampled_from([" ", "  ", "\n", "\r\n", "\n\n", "\t", " \n", "\n\n\n", "\n    ", "\n> ", "\n- ", "\n# ", "\n| "])


@st.composite
def documents(draw):
    parts = []
    for _ in range(draw(st.integers(1, 40))):
        parts.append(draw(WORDS))
        parts.append(draw(SEPS))
    if draw(st.booleans()):
        parts.pop()
    return "".join(parts)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents(), st.sampled_from(["txt", "md"]))
def test_property_round_trip_generated_documents(text, fmt):
    doc = parse_document(text, "x", fmt)
    assert doc.render() == text
    for s in doc.segments:
        assert s.msgid and s.msgid == s.msgid.strip()
        assert "\n" not in s.msgid
        assert s.line == 1 + len(re.findall(r"\r\n|\r|\n", text[: s.start]))  # the reference's line
        assert s.restore(s.msgid) == text[s.start : s.end]


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1), st.sampled_from(["txt", "md"]))
def test_property_round_trip_arbitrary_text(text, fmt):
    assert parse_document(text, "x", fmt).render() == text


REAL = sorted(p for p in (DATA / "real").glob("*") if p.suffix in (".txt", ".md") and p.name != "SOURCES.md")


def test_real_world_folder_has_enough_documents():
    assert len(REAL) >= 20
    assert sum(p.suffix == ".md" for p in REAL) >= 8


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.name)
def test_real_world_documents_round_trip(path):
    text = path.read_bytes().decode("utf-8")
    doc = parse_document(text, path.name, "md" if path.suffix == ".md" else "txt")
    assert doc.render().encode("utf-8") == path.read_bytes()
    assert list(doc.segments), "a real document has something to translate"


def test_markdown_nested_too_deep_is_refused_not_dropped():
    from translate.errors import SourceError
    from translate.segment.document import MAX_NESTING

    ok = parse_document(">" * (MAX_NESTING - 5) + " Deep sentence here.\n\nTop.\n", "a.md", "md")
    assert [s.msgid for s in ok.segments] == ["Deep sentence here.", "Top."]
    with pytest.raises(SourceError, match=r"a\.md:3: Markdown nested deeper than"):
        parse_document("Top.\n\n" + ">" * 2000 + " Deep sentence here.\n", "a.md", "md")


def test_a_streamed_document_is_parsed_again_on_each_pass_into_the_same_pieces():
    from translate.segment.document import stream_document

    for path in sorted((DATA / "real").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        held = parse_document(text, "x", "txt")
        streamed = stream_document(text, "x", "txt")
        assert not isinstance(streamed.pieces, tuple), path.name  # nothing held
        assert tuple(streamed.pieces) == held.pieces, path.name
        assert [s.msgid for s in streamed.segments] == [s.msgid for s in held.segments], path.name  # a second pass
        assert streamed.render() == text, path.name
