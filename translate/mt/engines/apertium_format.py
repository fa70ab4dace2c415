"""Apertium's stream format, both ways: plain text -> stream (:func:`deformat`) and back
(:func:`reformat`), with the protection of literal ``*``, ``#`` and ``@`` that keeps them apart
from Apertium's markers (see :mod:`.apertium`). Pure functions, no processes."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Characters apertium-destxt backslash-escapes (the stream format's specials).
_ESCAPED = frozenset("\\[]^$/@<>{}")
_BLANK = " \t\r\n"
# A source is cut into: blank runs (whitespace and ``~``, which apertium-destxt also treats
# as blank: the post-generator gives it a meaning), which become superblanks unless they
# are one space; *protected* runs, which become superblanks: every ``*`` and ``#``, and an
# ``@`` not preceded by a word character (an ``@`` after one, as in an e-mail address,
# stays in the text, escaped, so that Apertium still sees the address as one word); and
# the rest, escaped.
_TOKEN_RE = re.compile(
    r"[ \t\r\n~]+"
    r"|(?:[*#]|(?<!\w)@)+"
    r"|(?:[^ \t\r\n~*#@]|(?<=\w)@)+"
)
_PARAGRAPH_RE = re.compile(r"\n\r?\n")
_SENT_END = ".[]"  # a sentence end the reformatter removes (apertium-destxt adds it too)


def _escape(text: str) -> str:
    return "".join("\\" + ch if ch in _ESCAPED else ch for ch in text)


def _superblank(text: str) -> str:
    return "[" + text.replace("\\", "\\\\").replace("]", "\\]").replace("[", "\\[") + "]"


def deformat(text: str) -> str:
    """One segment of plain text -> Apertium stream format (without the id and NUL).

    Same output as ``apertium-destxt`` (backslash escapes; whitespace other than a single
    space as a superblank; ``.[]`` before a blank line and at the end, before trailing
    whitespace), except that literal ``*``, ``#`` and a word-initial ``@`` go into
    superblanks too (see the module docstring: that keeps them apart from Apertium's
    markers). NUL characters are dropped, as ``apertium-destxt`` drops them.
    """
    text = text.replace("\0", "")
    tokens = _TOKEN_RE.findall(text)
    # The end-of-text sentence mark goes before trailing whitespace.
    last = len(tokens)
    if tokens and tokens[-1][0] in "~" + _BLANK:
        last -= 1
    out: list[str] = []
    for i, tok in enumerate(tokens):
        if i == last:
            out.append(_SENT_END)
        first = tok[0]
        if first in "~" + _BLANK:
            if i != last and _PARAGRAPH_RE.search(tok):
                out.append(_SENT_END)
            out.append(" " if tok == " " else _superblank(tok))
        elif first in "*#@":
            out.append(_superblank(tok))
        else:
            out.append(_escape(tok))
    if last == len(tokens):
        out.append(_SENT_END)
    return "".join(out)


_MARKERS = "*#@"
_WORD_RE = re.compile(r"\w+(?:['’\-]\w+)*")


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


@dataclass(frozen=True)
class ApertiumResult:
    """One translated segment.

    ``text``: the translation with Apertium's markers removed; ``raw``: the same with the
    markers kept (what ``apertium`` prints); ``unknown``: the marked words, in order,
    without their marker; ``marks``: ``(marker, word)`` pairs, marker one of ``*`` (unknown
    word), ``#`` (generation error), ``@`` (transfer error). For ``#`` and ``@`` the word
    is the start of a dictionary lemma (a multiword lemma is cut at its first space).
    """

    text: str
    unknown: tuple[str, ...] = ()
    raw: str = ""
    marks: tuple[tuple[str, str], ...] = ()


def _unstream(stream: str) -> tuple[list[str], list[bool]]:
    """Stream -> characters, each flagged True if it came out of a superblank."""
    chars: list[str] = []
    protected: list[bool] = []
    i, n = 0, len(stream)
    while i < n:
        ch = stream[i]
        if ch == "\\" and i + 1 < n:
            chars.append(stream[i + 1])
            protected.append(False)
            i += 2
        elif ch == "." and stream.startswith("[]", i + 1):
            i += 3  # the sentence end deformat() added
        elif ch == "[":
            if stream.startswith("[[", i):  # a word-bound blank: metadata, no text
                end = stream.find("]]", i + 2)
                i = n if end < 0 else end + 2
                continue
            i += 1
            while i < n and stream[i] != "]":
                if stream[i] == "\\" and i + 1 < n:
                    i += 1
                chars.append(stream[i])
                protected.append(True)
                i += 1
            i += 1
        else:
            chars.append(ch)
            protected.append(False)
            i += 1
    return chars, protected


def reformat(stream: str, source: str | None = None) -> ApertiumResult:
    """Apertium stream output for one segment -> text, as ``apertium-retxt`` would give it.

    Superblanks give back their content, ``\\x`` gives ``x``, and the ``.[]`` sentence end
    added by :func:`deformat` is removed. A ``*``, ``#`` or ``@`` that did not come out
    of a superblank, is followed by a word character and (for ``@``) is not preceded by
    one, is one of Apertium's markers: literal ones from the source always arrive in a
    superblank, except an ``@`` inside a word (``user@example.com``).

    With ``source``, the leading and trailing whitespace of the result is made that of
    the source (Apertium leaves a stray blank where it drops a pronoun: "He said" ->
    " Dijo").
    """
    chars, protected = _unstream(stream)
    text: list[str] = []
    raw: list[str] = []
    marks: list[tuple[str, str]] = []
    n = len(chars)
    for i, ch in enumerate(chars):
        if (
            ch in _MARKERS
            and not protected[i]
            and i + 1 < n
            and _is_word_char(chars[i + 1])
            and not (ch == "@" and text and _is_word_char(text[-1]))
        ):
            m = _WORD_RE.match("".join(chars[i + 1 : i + 80]))
            marks.append((ch, m.group(0) if m else chars[i + 1]))
            raw.append(ch)
            continue
        text.append(ch)
        raw.append(ch)
    out_text, out_raw = "".join(text), "".join(raw)
    if source is not None:
        lead = source[: len(source) - len(source.lstrip(_BLANK))]
        trail = source[len(source.rstrip(_BLANK)) :]
        out_text = lead + out_text.strip(_BLANK) + trail
        out_raw = lead + out_raw.strip(_BLANK) + trail
    return ApertiumResult(
        text=out_text,
        unknown=tuple(word for _, word in marks),
        raw=out_raw,
        marks=tuple(marks),
    )
