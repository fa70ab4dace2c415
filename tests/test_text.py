"""Word counts: the rules of translate-toolkit's pocount (bench/wordcount.py compares the two
on 62,898 real texts)."""

from __future__ import annotations

import pytest

from translate.text import word_count


@pytest.mark.parametrize(
    "text, n",
    [
        ("", 0),
        ("Hello world.", 2),
        ("don't stop", 2),  # an apostrophe inside a word keeps it whole
        ("co-organized", 2),  # a hyphen separates
        ("3.5 kg and 25,000 people", 5),  # numbers are one word each
        ("e.g. this", 1),  # pocount drops a letter either side of a full stop between letters
        ("<b>bold</b> text", 2),  # tags are not words
        ("one<br/>two", 2),
        ("Hello %s — “quoted” (yes)!", 4),  # punctuation is not a word; %s counts as "s"
    ],
)
def test_word_count_rules(text, n):
    assert word_count(text) == n


def test_every_stage_counts_words_the_same_way(tmp_path):
    from translate.cli import main

    (tmp_path / "source").mkdir()
    (tmp_path / "source" / "a.md").write_text("# Co-operation\n\nIt's 3.5 times e.g. bigger.\n\nCo-operation\n", encoding="utf-8")
    assert main(["--project", str(tmp_path), "-q", "segment"]) == 0
    import polib

    expected = sum(word_count(e.msgid) for e in polib.pofile(str(tmp_path / "locales" / "a.pot")))
    from translate.config import Config
    from translate.po.stage import stats
    from translate.segment.stage import segment

    (row,) = stats(Config(tmp_path))
    assert sum(row.stats.words.values()) == expected
    (seg,) = segment(Config(tmp_path))
    assert seg.words == expected
