"""translate.segment.sentences.sentence_spans: English edge cases and the span invariants."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from translate.segment.sentences import sentence_spans

ROOT = Path(__file__).resolve().parent.parent


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in sentence_spans(text)]


# A dozen edge cases from bench/segmenters.py (where the chosen segmenter, sentencex, plus
# the post-pass gets them right), one or two per kind of trap.
CASES = [
    # abbreviations, mid-sentence and sentence-final
    ("The U.S. economy grew 3 percent last year. Exports rose sharply.",
     ["The U.S. economy grew 3 percent last year.", "Exports rose sharply."]),
    ("She moved to the U.S. She never looked back.",
     ["She moved to the U.S.", "She never looked back."]),
    ("Dr. Smith and Mr. Jones met at noon. They discussed the merger.",
     ["Dr. Smith and Mr. Jones met at noon.", "They discussed the merger."]),
    ("Bring a snack, e.g. an apple or a banana. Water is provided.",
     ["Bring a snack, e.g. an apple or a banana.", "Water is provided."]),
    ("Acme Inc. reported record revenue. See item No. 5 at 9 a.m. on weekdays.",
     ["Acme Inc. reported record revenue.", "See item No. 5 at 9 a.m. on weekdays."]),
    # initials, numbers, ordinals
    ("J. R. R. Tolkien wrote The Hobbit. It was published in 1937.",
     ["J. R. R. Tolkien wrote The Hobbit.", "It was published in 1937."]),
    ("A coffee costs $3.50, up 4.5 percent. The tank holds 1,000.5 litres.",
     ["A coffee costs $3.50, up 4.5 percent.", "The tank holds 1,000.5 litres."]),
    ("The festival runs on September 4th and 5th. Tickets go on sale on the 1st.",
     ["The festival runs on September 4th and 5th.", "Tickets go on sale on the 1st."]),
    # quotes: closing quote stays with its sentence, ”. and ." both
    ("He said, \u201cWe are ready.\u201d Then he left the room.",
     ["He said, \u201cWe are ready.\u201d", "Then he left the room."]),
    ('The critics called it "a triumph". The public agreed.',
     ['The critics called it "a triumph".', "The public agreed."]),
    ("\u201cAre you sure?\u201d she asked. He nodded.",
     ["\u201cAre you sure?\u201d she asked.", "He nodded."]),
    # ellipses (post-pass rule 2 for U+2026)
    ("I thought about it... Then I said no.", ["I thought about it...", "Then I said no."]),
    ("Wait for it\u2026 There it is.", ["Wait for it\u2026", "There it is."]),
    # lists and headings (post-pass rules 1 and 4)
    ("1. Open the box.\n2. Remove the device.\n3. Plug it in.",
     ["1. Open the box.", "2. Remove the device.", "3. Plug it in."]),
    ("Introduction\nThis guide explains how to install the software.",
     ["Introduction", "This guide explains how to install the software."]),
    ("Overview\n  \nThe product ships in May.", ["Overview", "The product ships in May."]),
    # URLs and e-mail addresses
    ("Read https://docs.python.org/3/library/re.html first. Email support@example.co.uk today.",
     ["Read https://docs.python.org/3/library/re.html first.", "Email support@example.co.uk today."]),
    # parentheses (post-pass rule 3) and ? !
    ("The results were mixed. (See the appendix for details.) We plan a follow-up study.",
     ["The results were mixed.", "(See the appendix for details.)", "We plan a follow-up study."]),
    ("Is the product ready? Yes! Ship it today.", ["Is the product ready?", "Yes!", "Ship it today."]),
]


@pytest.mark.parametrize("text, expected", CASES, ids=[c[0][:40] for c in CASES])
def test_edge_cases(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_hard_wrapped_prose_is_not_split_at_line_breaks() -> None:
    # textwrap.fill(width=44): "United\nStates" and "from\nthe" are wraps, not boundaries,
    # even though the next line starts with a capital.
    text = ("You may obtain a copy of the License from\nthe Apache Software Foundation in the United\n"
            "States. Unless required by applicable law,\nsoftware distributed under the License is\n"
            "provided AS IS.")
    assert sentences(text) == [
        "You may obtain a copy of the License from\nthe Apache Software Foundation in the United\nStates.",
        "Unless required by applicable law,\nsoftware distributed under the License is\nprovided AS IS.",
    ]


def test_offsets_are_character_offsets_and_whitespace_is_outside() -> None:
    text = "  \u00a1Ol\u00e9! \U0001f600 Caf\u00e9 at 5 p.m. sharp.\r\n\r\nNext paragraph.\n"
    spans = sentence_spans(text)
    assert [text[s:e] for s, e in spans] == [
        "\u00a1Ol\u00e9!", "\U0001f600 Caf\u00e9 at 5 p.m. sharp.", "Next paragraph."
    ]
    assert spans[0][0] == 2


@pytest.mark.parametrize("text", ["", " ", "\n\n\t \u3000\n"])
def test_empty_and_blank_text(text: str) -> None:
    assert sentence_spans(text) == []


@pytest.mark.parametrize("space", ["\u00a0", "\u2009", "\u2028", "\u3000"])
def test_one_letter_word_before_a_wide_space_does_not_crash(space: str) -> None:
    # sentencex 1.0.32 panics (Rust) on "A\u00a0." ; the wrapper hands it ASCII spaces.
    text = f"Take plan A{space}. Then stop."
    assert sentences(text) == [f"Take plan A{space}.", "Then stop."]


def test_lone_surrogate_does_not_crash() -> None:
    text = "Bad byte \udcff here. Next one."
    assert sentences(text) == ["Bad byte \udcff here.", "Next one."]


def test_untrustworthy_library_output_still_gives_valid_spans(monkeypatch) -> None:
    import sentencex

    import translate.segment.sentences as mod

    def lossy_segment(lang: str, text: str) -> list[str]:  # drops a non-blank character
        return [p[1:] for p in sentencex.segment(lang, text)]

    monkeypatch.setattr(mod, "_segmenter", lambda: (lossy_segment, sentencex.get_sentence_boundaries))
    text = "First one. Second one.\n\nThird one."
    assert sentences(text) == ["First one.", "Second one.", "Third one."]  # offsets API used


def test_a_library_panic_never_escapes(monkeypatch) -> None:
    import translate.segment.sentences as mod

    class PanicException(BaseException):  # what pyo3 raises for a Rust panic
        pass

    def panics(lang: str, text: str) -> list:
        raise PanicException("byte index 3 is not a char boundary")

    monkeypatch.setattr(mod, "_segmenter", lambda: (panics, panics))
    text = "Para one. Still one.\n  \nPara two (Aside.) Next"
    check_invariants(text)
    assert sentences(text) == ["Para one. Still one.", "Para two (Aside.)", "Next"]


def test_import_is_cheap_and_lazy() -> None:
    code = ("import sys, translate.segment.sentences as m; "
            "assert 'sentencex' not in sys.modules, 'imported at import time'; "
            "m.sentence_spans('A. B.'); assert 'sentencex' in sys.modules")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


# -- invariants ------------------------------------------------------------------------------

def check_invariants(text: str) -> None:
    spans = sentence_spans(text)
    prev_end = 0
    covered = 0
    for start, end in spans:
        assert isinstance(start, int) and isinstance(end, int)
        assert prev_end <= start < end <= len(text), (spans, text)  # ordered, non-overlapping
        assert not text[start].isspace() and not text[end - 1].isspace(), (start, end, text)
        # everything between two spans is whitespace
        assert text[prev_end:start].strip() == "", (prev_end, start, text)
        covered += 1
        prev_end = end
    assert text[prev_end:].strip() == ""  # nothing after the last span either
    assert (covered == 0) == (text.strip() == "")


# Text built from pieces that exercise the segmenter and the post-pass, mixed with anything.
_PIECES = st.sampled_from([
    ".", ". ", "...", "\u2026", "?", "!", "?!", ")", "(", ".)", '."', ".\u201d", "\u201c", "'",
    "\n", "\n\n", "\n  \n", "\r\n", " ", "\t", "\u00a0", "\u2028", "\x1c", "\u3000",
    "U.S.", "Dr.", "e.g.", "etc.", "No. 5", "a.m.", "J. R. R.", "4.5", "$3.50", "1,000.5", "4th",
    "1. ", "- ", "Heading", "The", "word", "x", "A", "www.example.com", "a@b.co.uk",
])
texts = st.one_of(
    st.text(),
    st.lists(st.one_of(_PIECES, st.text(max_size=5)), max_size=40).map("".join),
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
@example("Title\n  \nBody. (Aside.) More\u2026 Then\nNext")
@example("\r\n\r\nA.\r\nB\r\nC")
@example("x\n\n\n")
def test_spans_invariants(text: str) -> None:
    check_invariants(text)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["Hello there.", "Dr. Who?", "Yes!", "(Aside.)", "Heading",
                                 "wrapped line", "\n", "\n\n", " ", "\u2026"]), max_size=60)
       .map(" ".join))
def test_spans_invariants_on_sentence_like_text(text: str) -> None:
    check_invariants(text)
