"""The Apertium engine, against the real ``apertium eng-spa`` (Debian ``apertium-eng-spa``)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from translate.mt.engines.apertium import (
    ApertiumEngine,
    ApertiumResult,
    available_modes,
    deformat,
    pairs,
    version,
)
from translate.errors import EngineError, EngineMissingError

# Apertium is part of the test environment (make test installs apertium-eng-spa): a missing
# engine is a failure here, not a skip.
assert shutil.which("apertium") and "eng-spa" in available_modes(), (
    "needs apertium and apertium-eng-spa (apt-get install apertium apertium-eng-spa)"
)

AWKWARD = [
    "The house is red.",
    "The\nhouse is red",  # a newline inside a segment
    "First line.\n\nSecond paragraph.\n",
    'He said "hello" and \'goodbye\'.',
    "Open (round) and [square] and {curly} brackets.",
    "A back\\slash and C:\\path\\to\\file.",
    "Less < more > and & ampersand &amp; <b>bold</b>.",
    "**Bold** text, _emphasis_, `code` and [the link](https://example.com/a_b).",
    "# A heading",
    "*",
    "https://example.com/path/to/page?x=1&y=2",
    "",
    "   ",
    "\n\t\n",
    "Tabs\tbetween\twords.",
    "Item #1 costs 3 @ 5 dollars.",
    "Write to user@example.com today.",
    "~tilde~ ^caret^ $dollar$ /slash/",
    "Ünïcödé: the café is open.",
    "[<s0>] looks like an id [x]",
    "a\0b",
]


@pytest.fixture(scope="module")
def engine() -> ApertiumEngine:
    return ApertiumEngine.load("en", "es")


def write_script(path: Path, body: str) -> str:
    path.write_text(body)
    path.chmod(0o755)
    return str(path)


# ---------------------------------------------------------------------- discovery


def test_modes_pairs_and_versions(engine):
    assert {"eng-spa", "spa-eng"} <= set(available_modes())
    assert ("en", "es") in pairs() and ("es", "en") in pairs()
    assert all(len(a) == 2 and len(b) == 2 for a, b in pairs())
    if shutil.which("dpkg-query"):
        assert re.match(r"\d", version())
    assert engine.name == "apertium"
    assert (engine.source_lang, engine.target_lang) == ("en", "es")
    assert re.fullmatch(r"apertium \d+\.\d+\S* / apertium-eng-spa \S+", engine.version)


def test_missing_apertium_lists_nothing_and_load_says_how_to_install(tmp_path):
    missing = str(tmp_path / "no-such-apertium")
    assert available_modes(missing) == []
    assert pairs(missing) == []
    with pytest.raises(EngineMissingError, match=r"apt-get install apertium apertium-eng-spa"):
        ApertiumEngine.load("en", "es", apertium_bin=missing)


def test_missing_mode_raises_engine_missing_error():
    hint = r"eng-fra.*apt-get install apertium apertium-eng-fra"
    with pytest.raises(EngineMissingError, match=hint):
        ApertiumEngine.load("en", "fr")


def test_load_accepts_iso_639_3_codes():
    assert ApertiumEngine.load("spa", "eng").mode == "spa-eng"


# ---------------------------------------------------------------------- alignment


def test_deformat_matches_apertium_destxt():
    """Our deformatter writes what apertium-destxt writes (the marker protection aside)."""
    samples = [
        "Hello world",
        "a  b\tc\r\nd",
        "a\n\nb\n",
        " lead and trail  ",
        "x.\n\n y",
        "[x](y) <b> & \\ ^ $ / { } ~",
        "a\u00a0b é",
        "user@example.com",
    ]
    for text in samples:
        expected = subprocess.run(
            ["apertium-destxt"], input=text.encode(), capture_output=True, check=True
        ).stdout.decode()
        assert deformat(text) == expected, text


def test_awkward_segments_stay_aligned(engine):
    out = engine.translate_batch(AWKWARD)
    assert len(out) == len(AWKWARD)
    # Each output is the translation of its own input: the same as translating it alone,
    # and the same in a batch of the reversed order.
    alone = [engine.translate_batch([text])[0] for text in AWKWARD]
    assert out == alone
    assert engine.translate_batch(AWKWARD[::-1]) == out[::-1]

    by_src = dict(zip(AWKWARD, out))
    assert by_src["The house is red."] == "La casa es roja."
    assert by_src["The\nhouse is red"] == "La\ncasa es roja"
    assert by_src["First line.\n\nSecond paragraph.\n"].count("\n\n") == 1
    assert by_src["First line.\n\nSecond paragraph.\n"].endswith(".\n")
    assert by_src["*"] == "*"
    assert by_src["https://example.com/path/to/page?x=1&y=2"] == (
        "https://example.com/path/to/page?x=1&y=2"
    )
    assert by_src[""] == by_src["   "] == by_src["\n\t\n"] == ""
    assert "<b>" in by_src["Less < more > and & ampersand &amp; <b>bold</b>."]
    assert "&amp;" in by_src["Less < more > and & ampersand &amp; <b>bold</b>."]
    assert by_src["A back\\slash and C:\\path\\to\\file."].count("\\") == 4
    assert "[square]" not in by_src["Open (round) and [square] and {curly} brackets."]
    assert by_src["Open (round) and [square] and {curly} brackets."].count("[") == 1
    md = by_src["**Bold** text, _emphasis_, `code` and [the link](https://example.com/a_b)."]
    assert md.startswith("**") and "](https://example.com/a_b)." in md
    assert by_src["# A heading"].startswith("# ")
    assert by_src["Tabs\tbetween\twords."].count("\t") == 2
    assert by_src["[<s0>] looks like an id [x]"].startswith("[<s0>]")


def test_ten_thousand_segments_in_one_call(engine):
    texts = [
        "" if i % 97 == 0 else f"Item {i}: the house is red.\nLine {i} of the list."
        for i in range(10_000)
    ]
    out = engine.translate_batch(texts)
    assert len(out) == len(texts)
    for i, (src, got) in enumerate(zip(texts, out)):
        if not src:
            assert got == ""
        else:
            assert re.findall(r"\d+", got) == [str(i), str(i)], (i, got)
            assert "casa" in got and "\n" in got


def test_few_processes_per_batch(tmp_path):
    log = tmp_path / "calls.log"
    wrapper = write_script(
        tmp_path / "apertium",
        f'#!/bin/sh\necho "$@" >> "{log}"\nexec apertium "$@"\n',
    )
    engine = ApertiumEngine("eng-spa", apertium_bin=wrapper, max_segments=1000)
    texts = [f"Sentence number {i} is short." for i in range(2500)]
    out = engine.translate_batch(texts)
    assert len(out) == 2500 and "2499" in out[-1]
    calls = [line for line in log.read_text().splitlines() if "eng-spa" in line]
    assert len(calls) == 3  # ceil(2500 / 1000), not one per segment
    assert all(line.split() == ["-f", "none", "-z", "eng-spa"] for line in calls)


def test_chunks_by_characters_too(tmp_path):
    log = tmp_path / "calls.log"
    wrapper = write_script(
        tmp_path / "apertium",
        f'#!/bin/sh\necho "$@" >> "{log}"\nexec apertium "$@"\n',
    )
    engine = ApertiumEngine("eng-spa", apertium_bin=wrapper, max_chars=100, version="t")
    out = engine.translate_batch(["The house is red number %d." % i for i in range(10)])
    assert [re.search(r"\d+", o).group(0) for o in out] == [str(i) for i in range(10)]
    assert len(log.read_text().splitlines()) == 4  # 26 characters each: 3 per chunk


# ---------------------------------------------------------------------- markers


def test_unknown_words_reported_and_stripped(engine):
    [res] = engine.translate_batch_with_markers(["The xyzzyq frobnicates the house."])
    assert isinstance(res, ApertiumResult)
    assert res.unknown == ("xyzzyq", "frobnicates")
    assert ("*", "xyzzyq") in res.marks
    assert "*xyzzyq" in res.raw and "*frobnicates" in res.raw
    assert "*" not in res.text and "xyzzyq" in res.text and "casa" in res.text
    assert engine.translate_batch(["The xyzzyq frobnicates the house."]) == [res.text]


def test_transfer_and_generation_markers_stripped(engine):
    # Known to the eng-spa dictionaries, but with a transfer (@) / generation (#) gap.
    res = engine.translate_batch_with_markers(
        ["This is subject to the back cover.", "Don't include the brackets!"]
    )
    assert [m for m, _ in res[0].marks] == ["@", "@"]
    assert res[0].unknown == ("subject", "back")
    assert "@" in res[0].raw and "@" not in res[0].text
    assert [m for m, _ in res[1].marks] == ["#"]
    assert "#" in res[1].raw and "#" not in res[1].text


def test_literal_star_hash_and_at_are_kept(engine):
    texts = [
        "Use **bold** and *emphasis* here.",
        "Issue #1 is fixed in C#.",
        "Mail user@example.com or ping @house now.",
        "The *xyzzyq is here.",
        "Costs 3 @ 5 each.",
    ]
    res = engine.translate_batch_with_markers(texts)
    for src, r in zip(texts, res):
        for ch in "*#@":
            assert r.text.count(ch) == src.count(ch), (src, r)
    assert res[0].text.count("**") == 2 and res[0].unknown == ()
    assert "#1" in res[1].text and "C#" in res[1].text and res[1].unknown == ()
    assert "user@example.com" in res[2].text and "@" in res[2].text.split("user@example.com")[1]
    assert "@" not in {m for m, _ in res[2].marks}
    # a literal '*' right before an unknown word: the literal stays, the marker goes
    assert "*xyzzyq" in res[3].text and "**xyzzyq" in res[3].raw
    assert res[3].unknown == ("xyzzyq",)
    assert "3 @ 5" in res[4].text


def test_mark_unknown_false_runs_without_markers(engine):
    [res] = engine.translate_batch_with_markers(
        ["The xyzzyq is subject to change."], mark_unknown=False
    )
    assert res.marks == () and res.unknown == ()
    assert res.text == res.raw and "xyzzyq" in res.text


def test_outer_whitespace_is_the_sources(engine):
    out = engine.translate_batch(["He said it.", "  He said it.\n"])
    assert out == ["Lo dijo.", "  Lo dijo.\n"]


# ---------------------------------------------------------------------- failures


def test_crashing_apertium_raises_one_line_engine_error(tmp_path):
    fake = write_script(
        tmp_path / "apertium",
        "#!/bin/sh\ncat > /dev/null\necho 'lt-proc: Segmentation fault' >&2\n"
        "echo 'second line' >&2\nexit 139\n",
    )
    engine = ApertiumEngine("eng-spa", apertium_bin=fake, version="fake")
    with pytest.raises(EngineError) as err:
        engine.translate_batch(["The house.", "The car."])
    message = str(err.value)
    assert "\n" not in message
    assert "eng-spa" in message and "139" in message and "Segmentation fault" in message
    assert not isinstance(err.value, EngineMissingError)


def test_apertium_dying_mid_batch_returns_nothing(tmp_path):
    # Real apertium output for the first segments, then the process dies by a signal.
    fake = write_script(
        tmp_path / "apertium",
        '#!/bin/bash\napertium "$@" | head -c 200\nkill -KILL $$\n',
    )
    engine = ApertiumEngine("eng-spa", apertium_bin=fake, version="fake")
    with pytest.raises(EngineError, match=r"apertium eng-spa (was killed by signal 9|exited with code 137 \(signal 9\))"):
        engine.translate_batch([f"The house number {i} is red." for i in range(200)])


def test_misaligned_output_is_an_error_not_a_guess(tmp_path):
    # Exits 0 but swaps two segments' outputs: the ids catch it.
    swap = write_script(
        tmp_path / "apertium",
        f"#!{sys.executable}\n"
        "import subprocess, sys\n"
        "out = subprocess.run(['apertium', *sys.argv[1:]], stdin=sys.stdin,\n"
        "                     capture_output=True).stdout.split(b'\\0')\n"
        "out[0], out[1] = out[1], out[0]\n"
        "sys.stdout.buffer.write(b'\\0'.join(out))\n",
    )
    engine = ApertiumEngine("eng-spa", apertium_bin=swap, version="fake")
    with pytest.raises(EngineError, match=r"alignment"):
        engine.translate_batch(["The house.", "The car.", "The dog."])
    # ... and one that loses a segment.
    drop = write_script(
        tmp_path / "apertium-drop",
        f"#!{sys.executable}\n"
        "import subprocess, sys\n"
        "out = subprocess.run(['apertium', *sys.argv[1:]], stdin=sys.stdin,\n"
        "                     capture_output=True).stdout.split(b'\\0')\n"
        "sys.stdout.buffer.write(b'\\0'.join(out[1:]))\n",
    )
    engine = ApertiumEngine("eng-spa", apertium_bin=drop, version="fake")
    with pytest.raises(EngineError):
        engine.translate_batch(["The house.", "The car.", "The dog."])


def test_unstartable_apertium_is_engine_missing(tmp_path):
    engine = ApertiumEngine("eng-spa", apertium_bin=str(tmp_path / "gone"), version="x")
    with pytest.raises(EngineMissingError, match="apt-get install"):
        engine.translate_batch(["The house."])
    assert engine.translate_batch(["", "  "]) == ["", ""]  # nothing to send, nothing run


# ---------------------------------------------------------------------- no orphans


def _sessions_of_children(pid: int) -> set[int]:
    out = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):  # a process that ended meanwhile
            continue
        if int(fields[1]) == pid:  # ppid
            out.add(int(fields[3]))  # session id
    return out


def _alive_in(session: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):  # a process that ended meanwhile
            continue
        if int(fields[3]) == session and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found


def test_no_apertium_process_outlives_a_killed_parent(tmp_path):
    """kill -9 of the process that runs Apertium ends the whole pipeline, even while another
    process still holds the pipeline's input open (so the pipeline never reads an end of file:
    here a forked sleeper, in real life e.g. a shell that started us)."""
    import os
    import signal
    import subprocess
    import sys
    import time

    code = (
        "import os, threading, time\n"
        "from translate.mt.engines.apertium import ApertiumEngine\n"
        "e = ApertiumEngine.load('en', 'es')\n"
        "e.max_segments = 10**9; e.max_chars = 10**12\n"
        "texts = [f'The committee approved budget number {i} for the next year.' for i in range(40000)]\n"
        "t = threading.Thread(target=e.translate_batch, args=(texts,))\n"
        "t.start()\n"
        "def child_running():\n"
        "    for p in os.listdir('/proc'):\n"
        "        try:\n"
        "            if p.isdigit() and open(f'/proc/{p}/stat').read().rsplit(')', 1)[1].split()[1] == str(os.getpid()):\n"
        "                return True\n"
        "        except (OSError, IndexError):  # a process that ended meanwhile\n"
        "            pass\n"
        "    return False\n"
        "while not child_running():\n"
        "    time.sleep(0.05)\n"
        "time.sleep(0.5)\n"
        "pid = os.fork()\n"
        "if pid == 0:\n"
        "    time.sleep(120); os._exit(0)\n"
        "print(pid, flush=True)\n"
        "t.join()\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    sleeper = int(parent.stdout.readline())
    try:
        sessions = {s for s in _sessions_of_children(parent.pid) if s != os.getsid(parent.pid)}
        assert sessions, "the apertium pipeline is not running"
        parent.send_signal(signal.SIGKILL)
        parent.wait()
        left: list[int] = []
        for _ in range(300):  # told at once by the kernel; the sleeper holds the input for 120 s
            left = [p for s in sessions for p in _alive_in(s)]
            if not left:
                break
            time.sleep(0.05)
        assert left == [], f"apertium processes left running: {left}"
    finally:
        os.kill(sleeper, signal.SIGKILL)
