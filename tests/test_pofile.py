"""The PO reader is as strict as GNU msgfmt; the writer writes what msgcat writes and changes nothing else."""

from __future__ import annotations

import os
import random
import subprocess
from pathlib import Path

import pytest

from translate.check.runner import EntryResult, write_back
from translate.errors import CatalogError
from translate.po.pofile import dump_po, patch_comments, read_po, safe_comment, string_lines, write_po

from .conftest import DATA

HEAD = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
GNU_HEAD = 'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'  # as msgcat writes it


def _po(tmp_path: Path, body: str, name: str = "t.po", head: str = HEAD) -> Path:
    p = tmp_path / name
    p.write_bytes((head + body).encode("utf-8"))
    return p


def _msgfmt_ok(path: Path) -> bool:
    return subprocess.run(["msgfmt", "-o", os.devnull, str(path)], capture_output=True).returncode == 0


def _bad(tmp_path: Path, body: str, line: int, fragment: str = "") -> CatalogError:
    p = _po(tmp_path, body)
    assert not _msgfmt_ok(p), "msgfmt accepts this: the case is wrong"
    with pytest.raises(CatalogError) as info:
        read_po(p, display="bad.po")
    assert info.value.path == "bad.po" and info.value.line == line, (str(info.value), line)
    assert fragment in info.value.message
    return info.value


# -- strict reading: each defect polib "repaired" --------------------------------------------------


def test_unterminated_string_is_an_error_not_a_shorter_msgstr(tmp_path):
    _bad(tmp_path, 'msgid "Hello world"\nmsgstr "Hola mundo\n\nmsgid "b"\nmsgstr "c"\n', 6, "end-of-line within string")


def test_msgid_without_its_opening_quote_is_an_error(tmp_path):
    _bad(tmp_path, 'msgid Hello"\nmsgstr "Hola"\n', 5, 'keyword "Hello" unknown')


def test_unknown_escape_is_an_error_and_known_ones_keep_their_meaning(tmp_path):
    _bad(tmp_path, 'msgid "a\\qb"\nmsgstr "x"\n', 5, "invalid control sequence")
    p = _po(tmp_path, 'msgid "\\atimed out \\101\\x42"\nmsgstr "\\atiempo agotado"\n')
    po = read_po(p)
    assert po[0].msgid == "\atimed out AB" and po[0].msgstr == "\atiempo agotado"
    assert b'msgid "\\atimed out AB"\nmsgstr "\\atiempo agotado"\n' in dump_po(po)  # \a, never \\a


@pytest.mark.parametrize(
    "body,line,fragment",
    [
        ('msgid "a"\n', 5, "missing 'msgstr'"),
        ('msgid "a"\nmsgstr[0] "x"\n', 6, "missing 'msgid_plural'"),
        ('msgid "a"\nmsgid_plural "as"\nmsgstr[1] "x"\nmsgstr[0] "y"\n', 7, "wrong index"),
        ('msgid "a"\n# comment\nmsgstr "x"\n', 5, "missing 'msgstr'"),
        ('msgid "a"\nmsgstr "x"\n\n#~ msgid "a"\n#~ msgstr "y"\n', 8, "duplicate"),
        ('#~ msgid "a"\nmsgstr "x"\n', 6, "inconsistent use of #~"),
        ('# comment ending in a backslash \\\nmsgid "a"\nmsgstr "x"\n', 7, ""),
        ('msgid "a" msgstr\n', 5, ""),
        ('msgstr "x"\n', 5, "syntax error"),
    ],
)
def test_what_msgfmt_rejects_is_an_error_with_its_line(tmp_path, body, line, fragment):
    _bad(tmp_path, body, line, fragment)


def test_line_separators_inside_strings_are_text(tmp_path):
    text = "a\u2028b\u2029c\u0085d\x1ce"
    p = _po(tmp_path, f'msgid "{text}"\nmsgstr "{text}!"\n', head=GNU_HEAD)
    assert _msgfmt_ok(p)
    po = read_po(p)
    assert po[0].msgid == text and po[0].msgstr == text + "!" and po[0].linenum == 4
    assert dump_po(po) == p.read_bytes()


def test_backslash_newline_joins_lines_as_gnu_does(tmp_path):
    p = _po(tmp_path, 'msgid "ab\\\ncd"\nmsgstr "x"\n\nmsgid "e"\nmsgstr "y"\n')
    assert _msgfmt_ok(p)
    po = read_po(p)
    assert [e.msgid for e in po] == ["abcd", "e"]
    assert [e.linenum for e in po] == [5, 9]  # physical lines, the joined one counted


def test_entries_keep_the_line_of_their_msgid_keyword(tmp_path):
    p = _po(tmp_path, '# c\n#. x\nmsgctxt "k"\nmsgid "a"\nmsgstr "b"\n\nmsgid ""\n"long"\nmsgstr "c"\n')
    assert [e.linenum for e in read_po(p)] == [8, 11]


def test_cli_reports_path_and_line_and_exit_2(tmp_path, run_cli):
    p = _po(tmp_path, 'msgid "Hello world"\nmsgstr "Hola mundo\n')
    before = p.read_bytes()
    r = run_cli(tmp_path, "check", str(p), "--engine", "none")
    assert r.code == 2 and f"{p}:6:" in r.err and "Traceback" not in r.err
    assert p.read_bytes() == before


def test_reader_agrees_with_msgfmt_on_damaged_copies_of_grep(tmp_path):
    """Random damage to a real catalogue: we reject exactly what msgfmt rejects as malformed.

    msgfmt's one semantic check (a msgid and msgstr that do not both begin and end with a
    newline) is left to ``check``; every other rejection must be ours too, with a line.
    """
    lines = (DATA / "grep-es.po").read_bytes().split(b"\n")
    rng = random.Random(13)
    rejected = agreed = 0
    for n in range(160):
        m = list(lines)
        i = rng.randrange(len(m))
        s = m[i]
        j = rng.randrange(len(s) + 1)
        kind = n % 6
        if kind == 0:
            m[i] = s[:j] + s[j + 1 :]
        elif kind == 1:
            m[i] = s[:j] + b'"' + s[j:]
        elif kind == 2:
            m[i] = s[:j] + b"\\" + s[j:]
        elif kind == 3:
            m.insert(i, s)
        elif kind == 4:
            m[i] = s[:j] + rng.choice([b"#~ ", b"\n", b"[", b"msgstr ", b"#|", b"#"]) + s[j:]
        else:
            m[i] = s.rstrip(b'"')
        p = tmp_path / f"m{n}.po"
        p.write_bytes(b"\n".join(m))
        r = subprocess.run(["msgfmt", "-o", os.devnull, str(p)], capture_output=True, text=True)
        errors = [x for x in r.stderr.splitlines() if ": " in x and "fatal error" not in x and "warning" not in x]
        semantic = errors and all("do not both" in x for x in errors)
        try:
            read_po(p)
            ours = True
        except CatalogError as e:
            ours = False
            assert e.line is not None
        if r.returncode != 0 and not semantic:
            rejected += 1
            assert not ours, (n, r.stderr)
            agreed += 1
        elif r.returncode == 0:
            assert ours, n
    assert rejected >= 60  # the damage really damaged


# -- faithful writing ---------------------------------------------------------------------------


def test_iso_8859_1_catalogue_stays_iso_8859_1(tmp_path):
    head = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=ISO-8859-1\\n"\n\n'
    p = tmp_path / "l1.po"
    p.write_bytes((head + 'msgid "Year"\nmsgstr "Año"\n').encode("latin-1"))
    po = read_po(p)
    assert po[0].msgstr == "Año"
    write_po(p, po)
    assert b'msgstr "A\xf1o"' in p.read_bytes()  # not UTF-8 under a Latin-1 header
    po[0].msgstr = "Añito"
    write_po(p, po)
    assert read_po(p)[0].msgstr == "Añito" and _msgfmt_ok(p)


def test_every_header_line_is_kept_and_only_changed_fields_rewritten(tmp_path):
    head = (
        'msgid ""\nmsgstr ""\n"Project-Id-Version: x 1\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n"Plural-Forms: nplurals=2; plural=n>1;\\n"\n'
        '"X-POFile-SpellExtra: uno dos\\n"\n"X-POFile-SpellExtra: tres\\n"\n"garbage without colon\\n"\n\n'
    )
    p = _po(tmp_path, 'msgid "a"\nmsgstr "b"\n', head=head)
    before = p.read_bytes()
    po = read_po(p)
    write_po(p, po)
    assert p.read_bytes() == before
    po.metadata["Project-Id-Version"] = "x 2"
    write_po(p, po)
    after = p.read_bytes()
    assert after == before.replace(b"x 1", b"x 2")


def test_crlf_stays_crlf_and_symlinks_stay_links(tmp_path):
    target = tmp_path / "real.po"
    target.write_bytes((HEAD + 'msgid "a"\nmsgstr "b"\n').replace("\n", "\r\n").encode())
    link = tmp_path / "link.po"
    link.symlink_to(target)
    po = read_po(link)
    po[0].msgstr = "c"
    write_po(link, po)
    assert link.is_symlink() and os.readlink(link) == str(target)
    data = target.read_bytes()
    assert b'msgstr "c"\r\n' in data and data.count(b"\n") == data.count(b"\r\n")


def test_wrapping_is_gnus(tmp_path):
    value = (
        "Se especificó un servidor proxy pero no un script de entrada, «Acquire::ftp::ProxyLogin» "
        'está vacío. Please make sure that e.g. "pkcon" is available.\n'
    )
    lines = string_lines("msgstr", value)
    p = _po(tmp_path, 'msgid "x"\n' + "\n".join(lines) + "\n", head=GNU_HEAD)
    y = subprocess.run(["msgcat", str(p)], capture_output=True, check=True).stdout
    assert y == p.read_bytes()
    assert lines[0] == 'msgstr ""' and all(len(x) <= 79 for x in lines)


def test_previous_obsolete_flags_and_references_round_trip_as_msgcat_writes_them(tmp_path):
    body = (
        "# translator\n#.  two spaces kept\n#: ./a.c:1 b.c:2 c.c\n#, fuzzy, c-format\n#| msgid \"old %d\"\n"
        'msgid "new %d"\nmsgstr "nuevo %d"\n\n#, no-wrap\nmsgid "' + "long " * 30 + '"\nmsgstr "x"\n\n'
        '# tc\n#~| msgid "olde"\n#~ msgid "gone"\n#~ msgstr "ido"\n'
    )
    p = _po(tmp_path, body)
    y = tmp_path / "y.po"
    subprocess.run(["msgcat", str(p), "-o", str(y)], check=True)
    assert dump_po(read_po(y)) == y.read_bytes()


# -- comments cannot hurt the next line ---------------------------------------------------------


def test_safe_comment_escapes_a_final_backslash_and_controls():
    assert safe_comment("C:\\dir\\") == "C:\\dir\\x5c"
    assert safe_comment("a\x01b\u2028c\nd") == "a\\x01b\\u2028c\\x0ad"
    assert safe_comment("tab\tok") == "tab\tok"


def test_back_translation_ending_in_backslash_does_not_swallow_the_next_msgid(tmp_path):
    p = _po(tmp_path, 'msgid "a"\nmsgstr "b"\n\nmsgid "c"\nmsgstr "d"\n')
    po = read_po(p)
    r = EntryResult("a", "b", back_translation="ends with a backslash \\")
    assert write_back(po[0], r)
    assert patch_comments(p, po, [po[0]], lambda t: t.startswith(("check:", "back-translation:")))
    assert _msgfmt_ok(p)
    again = read_po(p)
    assert [e.msgid for e in again] == ["a", "c"]
    assert "back-translation: ends with a backslash \\x5c" in again[0].comment
    # the whole-file writer is as careful with any comment
    again[1].comment = "ends \\\nsecond line"
    write_po(p, again)
    assert _msgfmt_ok(p) and [e.msgid for e in read_po(p)] == ["a", "c"]
    assert read_po(p)[1].comment == "ends \\x5c\nsecond line"


def test_patch_comments_changes_only_our_lines(tmp_path):
    body = '#. keep me\n#. check: fail: old\n#: f.c:1\nmsgid "a"\nmsgstr "b"\n\n# tr\nmsgid "c"\nmsgstr "d"\n'
    p = _po(tmp_path, body)
    po = read_po(p)
    ours = lambda t: t.startswith("check:")  # noqa: E731
    po[0].comment = "keep me\ncheck: pass"
    po[1].comment = "check: pass"
    assert patch_comments(p, po, list(po), ours)
    assert p.read_bytes().decode() == HEAD + body.replace("check: fail: old", "check: pass").replace(
        "# tr\n", "# tr\n#. check: pass\n"
    )


def test_the_fast_one_line_path_gives_what_the_full_wrapping_gives():
    import random

    from translate.po import wrap

    rng = random.Random(7)
    alphabet = "abc de-f/g.h,i\t\"\\é ñ\u0301xxxxx"
    for _ in range(5000):
        v = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 95)))
        for kw, pre in (("msgid", ""), ("msgstr", ""), ("msgid", "#~ "), ("msgid", "#| "), ("msgstr[0]", "")):
            assert wrap.string_lines(kw, v, pre) == wrap.wrapped_lines(kw, v, pre), (v, kw, pre)


def test_iter_po_gives_the_entries_of_parse_po_one_at_a_time_and_the_same_errors():
    from translate.po.reader import is_header, iter_po, parse_po

    data = (DATA / "grep-es.po").read_bytes()
    po = parse_po(data, display="grep-es.po")
    streamed = list(iter_po(data, display="grep-es.po"))
    assert is_header(streamed[0]) and not any(is_header(e) for e in streamed[1:])
    assert [(e.msgid, e.msgstr, e.flags, e.linenum, e.comment, e.occurrences) for e in streamed[1:]] == [
        (e.msgid, e.msgstr, e.flags, e.linenum, e.comment, e.occurrences) for e in po
    ]
    damaged = data.replace(b'msgid "', b'msgid "\\q', 1)
    line = data[: data.index(b'msgid "')].count(b"\n") + 1
    with pytest.raises(CatalogError) as err:
        list(iter_po(damaged, display="grep-es.po"))
    assert err.value.line == line and "grep-es.po" in str(err.value)
