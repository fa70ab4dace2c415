"""Real English text for benchmarks, taken from documents already on the machine.

Nothing is downloaded and no text is generated. The material comes from files
that exist on a fresh Debian/Python machine with this project's virtualenv
installed, read in this fixed order:

1. ``/usr/share/common-licenses/*`` (Debian ``base-files``),
2. prose files inside the project venv's ``site-packages``: ``*.md``,
   ``*.rst``, ``*.txt``, ``LICENSE``/``COPYING``/``NOTICE``/``README``/
   ``CHANGES``/``NEWS``-style files, and the long description in each
   ``*.dist-info/METADATA``,
3. ``tests/data/real/*.md`` and ``*.txt`` (not ``SOURCES.md``).

Files that are not valid UTF-8 are skipped, and so are files that look like
code or data (too little English prose left once they are cleaned). Each
kept file is turned into plain-text paragraphs: front matter, fenced and
indented code, HTML, tables, reST directives and link targets are dropped,
and link, heading, quote and emphasis markup is removed. A paragraph that
appears more than once in the collection is kept only the first time.

The result is deterministic for a given set of installed files. Run the
module as a script to print the corpus size, the number of files used and
sample sentences.
"""

from __future__ import annotations

import functools
import hashlib
import re
import sys
import sysconfig
import textwrap
from pathlib import Path

__all__ = ["english_corpus", "english_sentences", "corpus_files"]

PROJECT_ROOT = Path(__file__).resolve().parent.parent
REAL_DATA_DIR = PROJECT_ROOT / "tests" / "data" / "real"
COMMON_LICENSES = Path("/usr/share/common-licenses")

MAX_FILE_BYTES = 1_500_000
MIN_FILE_PROSE_CHARS = 300

_PROSE_NAME = re.compile(
    r"^(licen[cs]e|copying|notice|readme|authors?|changes|changelog|history|news)"
    r"([._-].*)?$",
    re.IGNORECASE,
)
_PROSE_SUFFIXES = {".md", ".markdown", ".rst", ".txt"}
_SKIP_NAMES = {
    "record", "entry_points.txt", "top_level.txt", "dependency_links.txt",
    "requires.txt", "sources.txt", "installer", "wheel", "requested",
    "direct_url.json", "namespace_packages.txt", "not-zip-safe",
}

# A few very common English words, to tell English prose from data and
# other languages.
_STOPWORDS = frozenset(
    """a about after all also an and any are as at be been before but by can
    could do does each for from has have if in into is it its may more most
    must no not of on one or other our should so such than that the their
    them then there these they this those to under up was we were what when
    where which while who will with would you your""".split()
)

_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")
_CODE_LINE = re.compile(
    r"""(
        [;{}]\s*$                      # statement / block ends
      | ^\s*[}\])]                     # closing brackets
      | =>|::|->|\+\+|==|!=|&&|\|\|    # operators
      | ^\s*(\$|>>>|\.\.\.\s|%|\#include|//|/\*|\#!)  # prompts, comments
      | ^\s*(def|class|import|from|return|var|let|const|function|if|for|while)\b.*[(:={]
      | \w\(.*\)\s*[:;{]?\s*$         # call at end of line
      | ^\s*[\w.]+\s*=\s*\S            # assignment
      | ^\s*<[/!?a-zA-Z]               # markup line
    )""",
    re.VERBOSE,
)
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_UNDERLINE = re.compile(r"^\s*([=\-~^*#+_.:`'\"])\1{2,}\s*$")
_ATX_HEADING = re.compile(r"^\s{0,3}#{1,6}\s")
_TABLE_LINE = re.compile(r"^\s*(\|.*\||\+[-=+]+\+|[=\- ]{3,}\s+[=\-]{3,}[=\- ]*)\s*$")
_LIST_MARKER = re.compile(r"^\s*([-*+\u2022]|\d{1,3}[.)]|[a-z][.)]|\(\w{1,3}\))\s+")
_LINK_DEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S+")
_RST_TARGET = re.compile(r"^\s*\.\.\s+(_[^:]+:|\|[^|]+\|)")
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(\s[^<>]*)?/?>")
_MD_IMAGE = re.compile(r"!\[([^\]]*)\](\([^)]*\)|\[[^\]]*\])")
_MD_LINK = re.compile(r"\[([^\]]+)\](\([^)]*\)|\[[^\]]*\])")
_RST_LINK = re.compile(r"`([^`<]+?)\s*<[^>]+>`_{1,2}")
_RST_ROLE = re.compile(r":[a-z:+-]+:`([^`]+)`")
_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^>\s]+)>")
_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")


def _site_packages_dirs() -> list[Path]:
    dirs: list[Path] = []
    dirs.extend(sorted((PROJECT_ROOT / ".venv" / "lib").glob("python3*/site-packages")))
    purelib = Path(sysconfig.get_paths()["purelib"])
    if sys.prefix != sys.base_prefix and purelib.is_dir():
        dirs.append(purelib)
    seen: set[Path] = set()
    out = []
    for d in dirs:
        r = d.resolve()
        if r not in seen and r.is_dir():
            seen.add(r)
            out.append(d)
    return out


def _is_prose_candidate(path: Path) -> bool:
    name = path.name.lower()
    if name in _SKIP_NAMES or name.startswith("requirements"):
        return False
    if name == "metadata" and path.parent.name.endswith(".dist-info"):
        return True
    return path.suffix.lower() in _PROSE_SUFFIXES or bool(_PROSE_NAME.match(name))


def _candidate_files() -> list[Path]:
    files: list[Path] = []
    if COMMON_LICENSES.is_dir():
        files.extend(p for p in sorted(COMMON_LICENSES.iterdir()) if p.is_file())
    for sp in _site_packages_dirs():
        found = [p for p in sp.rglob("*") if p.is_file() and _is_prose_candidate(p)]
        files.extend(sorted(found, key=lambda p: p.relative_to(sp).as_posix()))
    if REAL_DATA_DIR.is_dir():
        files.extend(
            p for p in sorted(REAL_DATA_DIR.iterdir())
            if p.is_file() and p.suffix in {".md", ".txt"} and p.name != "SOURCES.md"
        )
    seen: set[Path] = set()
    unique = []
    for p in files:
        try:
            r = p.resolve()
            size = r.stat().st_size
        except OSError:
            continue
        if r in seen or size == 0 or size > MAX_FILE_BYTES:
            continue
        seen.add(r)
        unique.append(p)
    return unique


def _read_text(path: Path) -> str | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if b"\0" in data:
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if path.name == "METADATA":
        # Headers first, then the long description after the first blank line.
        _, _, text = text.partition("\n\n")
    return text.expandtabs(4)


def _strip_blocks(text: str) -> list[str]:
    """Drop front matter, fenced code and HTML comments; split into paragraphs."""
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end != -1:
            text = text[end + 5:]
    text = _HTML_COMMENT.sub("", text)
    lines = []
    fence: str | None = None
    for line in text.split("\n"):
        m = _FENCE.match(line)
        if fence is not None:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence):
                fence = None
            continue
        if m:
            fence = m.group(1)
            lines.append("")
            continue
        lines.append(line.rstrip())
        # A heading ends its paragraph even without a blank line after it.
        if _ATX_HEADING.match(line) or (
            _UNDERLINE.match(line) and len(lines) > 1 and lines[-2].strip()
        ):
            lines.append("")
    text = textwrap.dedent("\n".join(lines))
    return [p for p in re.split(r"\n\s*\n", text) if p.strip()]


def _clean_inline(line: str) -> str:
    line = _MD_IMAGE.sub("", line)
    line = _MD_LINK.sub(r"\1", line)
    line = _RST_LINK.sub(r"\1", line)
    line = _RST_ROLE.sub(r"\1", line)
    line = _AUTOLINK.sub(r"\1", line)
    line = _HTML_TAG.sub("", line)
    line = _EMPHASIS.sub(r"\2", line)
    return line


def _english_score(words: list[str]) -> float:
    if not words:
        return 0.0
    return sum(w.lower() in _STOPWORDS for w in words) / len(words)


def _prose_paragraph(raw: str, is_markdown: bool) -> str | None:
    """Return the cleaned paragraph, or None if it is code, markup or data."""
    lines = raw.split("\n")
    first = lines[0]
    if first.lstrip().startswith(".. ") or _RST_TARGET.match(first):
        return None
    if is_markdown and all(l.startswith("    ") for l in lines if l.strip()):
        return None  # indented code block (after the whole file was dedented)
    if sum(bool(_TABLE_LINE.match(l)) for l in lines) * 2 >= len(lines):
        return None
    if sum(bool(_CODE_LINE.search(l)) for l in lines) * 10 > len(lines) * 3:
        return None
    kept = []
    for line in lines:
        if _UNDERLINE.match(line) or _LINK_DEF.match(line) or _TABLE_LINE.match(line):
            continue
        s = line.strip()
        s = re.sub(r"^(>\s?)+", "", s)          # blockquote markers
        s = re.sub(r"^#{1,6}\s+", "", s)        # ATX headings
        s = re.sub(r"\s+#+$", "", s)
        s = _clean_inline(s).strip()
        if s:
            kept.append(s)
    if not kept:
        return None
    text = "\n".join(kept)
    nonspace = re.sub(r"\s", "", text)
    letters = sum(c.isalpha() for c in nonspace)
    if not nonspace or letters / len(nonspace) < 0.7:
        return None
    words = _WORD.findall(text)
    if len(words) < 3:
        return None
    if len(words) >= 8 and _english_score(words) < 0.08:
        return None
    return text


def _file_paragraphs(path: Path) -> list[str]:
    text = _read_text(path)
    if text is None:
        return []
    is_markdown = path.suffix.lower() in {".md", ".markdown"} or path.name == "METADATA"
    raw = _strip_blocks(text)
    out = []
    literal_indent: int | None = None  # inside a reST literal block / directive
    for para in raw:
        indent = len(para) - len(para.lstrip(" "))
        if literal_indent is not None:
            if indent > literal_indent:
                continue
            literal_indent = None
        if para.rstrip().endswith("::") or para.lstrip().startswith(".. "):
            literal_indent = indent
        cleaned = _prose_paragraph(para, is_markdown)
        if cleaned is not None:
            if cleaned.endswith("::"):
                cleaned = cleaned[:-1]
            out.append(cleaned)
    prose_chars = sum(len(p) for p in out)
    total_chars = len(re.sub(r"\s", "", text)) or 1
    all_words = _WORD.findall(" ".join(out))
    if (
        prose_chars < MIN_FILE_PROSE_CHARS
        or prose_chars / total_chars < 0.25
        or _english_score(all_words) < 0.15
    ):
        return []  # looks like code, data or another language
    return out


@functools.lru_cache(maxsize=1)
def _collection() -> tuple[tuple[str, ...], tuple[Path, ...]]:
    paragraphs: list[str] = []
    used: list[Path] = []
    seen: set[str] = set()
    for path in _candidate_files():
        added = False
        for para in _file_paragraphs(path):
            key = " ".join(para.split()).casefold()
            if key in seen:
                continue
            seen.add(key)
            paragraphs.append(para)
            added = True
        if added:
            used.append(path)
    if not paragraphs:
        raise RuntimeError("no English prose found on this machine")
    return tuple(paragraphs), tuple(used)


def corpus_files() -> list[Path]:
    """Files that add at least one paragraph to the corpus, in corpus order."""
    return list(_collection()[1])


def english_corpus(min_bytes: int = 5_000_000) -> str:
    """Return at least ``min_bytes`` (UTF-8) of real English prose as plain text.

    Paragraphs are separated by one blank line and the text ends with a
    newline. The collection of distinct paragraphs (see the module docstring)
    is used in order. If it is smaller than ``min_bytes`` it is **repeated
    from the start**, as many times as needed, so large corpora contain
    repeated text. The text stops at the first paragraph boundary at or past
    ``min_bytes``. The output is deterministic.
    """
    paragraphs, _ = _collection()
    parts: list[str] = []
    size = 0
    i = 0
    while size < min_bytes or not parts:
        para = paragraphs[i % len(paragraphs)]
        parts.append(para)
        size += len(para.encode("utf-8")) + 2  # "\n\n" separator / final newline
        i += 1
    return "\n\n".join(parts) + "\n"


_ABBREVIATIONS = frozenset(
    """e.g i.e etc vs cf al mr mrs ms dr prof st jr sr inc ltd co corp no nos
    fig figs sec vol vols ed eds approx dept est misc resp viz ca""".split()
)
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]?\s+(?=[\"'(]?[A-Z])")
_BAD_SENTENCE = re.compile(
    r"https?:|www\.|@|[`{}\[\]<>|\\_=#*$~^]|[a-z]\.[a-z]{2,}|\b[a-z]+[A-Z]\w*|::|--"
)


def _split_sentences(paragraph: str) -> list[str]:
    # Each list item is its own block; the lines of a block are joined.
    blocks: list[list[str]] = []
    for line in paragraph.split("\n"):
        if _LIST_MARKER.match(line) or not blocks:
            blocks.append([_LIST_MARKER.sub("", line, count=1)])
        else:
            blocks[-1].append(line)
    sentences = []
    for block in blocks:
        text = " ".join(" ".join(block).split())
        pieces = _SENTENCE_END.split(text)
        merged: list[str] = []
        for piece in pieces:
            if merged:
                last_word = merged[-1].rsplit(None, 1)[-1].rstrip(".").lower()
                if last_word in _ABBREVIATIONS or re.fullmatch(r"[a-z]", last_word):
                    merged[-1] += " " + piece
                    continue
            merged.append(piece)
        sentences.extend(s.strip() for s in merged)
    return sentences


def _good_sentence(s: str) -> bool:
    words = s.split()
    if not 10 <= len(words) <= 60:
        return False
    if not re.match(r"[\"'(]?[A-Z]", s) or not re.search(r"[.!?][\"')]?$", s):
        return False
    if _BAD_SENTENCE.search(s):
        return False
    if s.count("(") != s.count(")") or s.count('"') % 2:
        return False
    nonspace = re.sub(r"\s", "", s)
    letters = [c for c in nonspace if c.isalpha()]
    if len(letters) < 0.85 * len(nonspace):
        return False
    if sum(c.isupper() for c in letters) > 0.2 * len(letters):
        return False  # all-caps shouting, acronym soup
    return _english_score(_WORD.findall(s)) >= 0.15


@functools.lru_cache(maxsize=1)
def _all_sentences() -> tuple[str, ...]:
    paragraphs, _ = _collection()
    seen: set[str] = set()
    out = []
    for para in paragraphs:
        for s in _split_sentences(para):
            key = s.casefold()
            if key not in seen and _good_sentence(s):
                seen.add(key)
                out.append(s)
    # A fixed pseudo-random order (by content hash) mixes the sources, so the
    # first n sentences do not all come from the first files.
    out.sort(key=lambda s: hashlib.blake2b(s.encode("utf-8"), digest_size=8).digest())
    return tuple(out)


def english_sentences(n: int = 2000) -> list[str]:
    """Return ``n`` distinct real English prose sentences (10 to 60 words).

    The sentences come from the same paragraphs as :func:`english_corpus`.
    The splitter is simple: it breaks after ``.``, ``!`` or ``?`` followed by
    a capital letter and knows a few abbreviations. Sentences with URLs,
    code-like tokens, markup characters, mostly capital letters or too few
    letters are left out. The order is fixed (by content hash), so
    ``english_sentences(k)`` is a prefix of ``english_sentences(m)`` for k < m.
    Raises ``ValueError`` if fewer than ``n`` sentences are available.
    """
    pool = _all_sentences()
    if n > len(pool):
        raise ValueError(f"only {len(pool)} distinct sentences available, {n} requested")
    return list(pool[:n])


def main() -> None:
    corpus = english_corpus()
    paragraphs, files = _collection()
    unique_bytes = len("\n\n".join(paragraphs).encode("utf-8"))
    print(f"corpus size: {len(corpus.encode('utf-8')):,} bytes "
          f"({unique_bytes:,} bytes of distinct paragraphs, repeated to reach 5,000,000)")
    print(f"files used: {len(files)}")
    print(f"distinct sentences available: {len(_all_sentences()):,}")
    print("sample sentences:")
    for s in english_sentences(5):
        print(f"  - {s}")


if __name__ == "__main__":
    main()
