"""Per-entry checks of a Spanish translation: plain functions ``(message, context) -> list[Finding]``.

Every check is registered in :data:`REGISTRY` under its name; :func:`run_checks` runs them all.
The command line, the JSON report, the HTML page and the comments written back into the
catalogue all render the same :class:`Finding` objects.

The checks know no I/O and call no engine: the back-translation (es→en) and the words the
es→en engine did not know are computed in batches by :mod:`translate.check` and handed in
through :class:`Context`. Without them, the checks that need them are skipped.

Thresholds marked *learned* were measured on real human English→Spanish catalogues of Debian
programs that are **not** in the evaluation set (``bench/check_accuracy.py --learn``; see
``tests/data/eval/README.md``).
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Callable, Sequence

from ..mt.protect import GlossaryTerm, applicable_terms, find_tokens, may_hold_tokens
from . import langid
from .chrf import chrf

FAIL, WARN = "fail", "warn"


@dataclass(frozen=True)
class Finding:
    """One check that did not pass on one entry."""

    check: str  #: the check's registry name, e.g. "numbers"
    severity: str  #: "fail" or "warn"
    detail: str  #: one line, for a reviewer

    def to_dict(self) -> dict:
        return {"check": self.check, "severity": self.severity, "detail": self.detail}


@dataclass(frozen=True)
class Message:
    msgid: str
    msgstr: str
    msgctxt: str | None = None


@dataclass
class Context:
    """What the checks may use beside the message itself."""

    comment: str = ""  #: extracted comments (``mt:`` provenance, unknown words, problems)
    flags: tuple[str, ...] = ()
    glossary: Sequence[GlossaryTerm] = ()
    back_translation: str | None = None  #: es→en of the msgstr (None: check skipped)
    forward_translation: str | None = None  #: en→es of the msgid (optional second signal)
    bt_unknown: tuple[str, ...] | None = None  #: msgstr words the es→en engine did not know
    language_scores: dict[str, float] | None = None  #: precomputed; else computed on demand
    notes: list[str] = field(default_factory=list)


Check = Callable[[Message, Context], list[Finding]]
REGISTRY: dict[str, Check] = {}


def register(name: str) -> Callable[[Check], Check]:
    def deco(fn: Check) -> Check:
        REGISTRY[name] = fn
        fn.check_name = name  # type: ignore[attr-defined]
        return fn

    return deco


# -- learned bounds (bench/check_accuracy.py --learn, on TRAIN_DOMAINS of tests/data/eval/make_eval.py)

#: log(len(msgstr)/len(msgid)) bounds per msgid length bucket (upper bucket limits in chars):
#: (max_len, fail_low, warn_low, warn_high, fail_high) — 0.1 / 1.5 / 98.5 / 99.9 percentiles
LENGTH_BOUNDS: tuple[tuple[int, float, float, float, float], ...] = (
    (30, -0.442, -0.154, 0.629, 0.908),  # n=2423
    (60, -0.343, -0.134, 0.523, 0.723),  # n=8586
    (10**9, -0.275, -0.114, 0.446, 0.589),  # n=2347
)
#: shorter msgids vary too much ("No match" → "No hay coincidencias") to judge by length
LENGTH_MIN_CHARS = 12
#: chrF (sacrebleu's, computed by .chrf) of the back-translation against the msgid: fail below, warn below
CHRF_FAIL, CHRF_WARN = 22.4, 25.9  # learned: 1st and 2nd percentile (3,339 train pairs)
#: the same for max(chrF(back-translation, msgid), chrF(msgstr, forward translation of msgid)):
#: the forward translation (en→es) is the second signal; it rescues free but correct renderings
CHRF2_FAIL, CHRF2_WARN = 27.3, 29.9
#: words of at least this many letters in the msgid for chrF to mean something
CHRF_MIN_WORDS = 3


# -- helpers --------------------------------------------------------------------------------

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def _strip_tokens(text: str, flags: Sequence[str] = ()) -> str:
    out, pos = [], 0
    for a, b, _kind in _tokens(text, flags):
        out.append(text[pos:a])
        out.append(" ")
        pos = b
    out.append(text[pos:])
    return "".join(out)


def _tokens(text: str, flags: Sequence[str] = ()) -> tuple[tuple[int, int, str], ...]:
    return _tokens_cached(text, tuple(flags))


@functools.lru_cache(maxsize=65536)
def _tokens_cached(text: str, flags: tuple[str, ...]) -> tuple[tuple[int, int, str], ...]:
    """Protected tokens; a printf match with a space flag ("50% de") only in c/python-format."""
    if not may_hold_tokens(text):
        return ()  # most strings hold none of the characters a token needs
    fmt = any(f.endswith("-format") and not f.startswith("no-") for f in flags)
    # GNU quoting `like this' is not Markdown inline code: hide its backquote (same length)
    masked = _GNU_QUOTE.sub(lambda m: "\u2018" + m.group(0)[1:], text)
    return tuple((a, b, k) for a, b, k in find_tokens(masked) if fmt or k != "printf" or " " not in text[a:b])


_GNU_QUOTE = re.compile(r"`[^`'\n]+'(?![\w`])")  # `like this' (not it's, not `'x'`)
_QUOTED = re.compile(r"`[^`'\n]*'|‘[^’]*’|«[^»]*»|»[^«]*«|„[^“]*“|`[^`]*`")
#: A run of non-space characters holding one of these is an identifier, a path, a number…
#: (tested run by run: a single regex over the text was quadratic on long runs)
_LITERAL_MARK = re.compile(r"[_/\\=<>@#$%\d]|\w(?:::|\()")
_RUN = re.compile(r"\S+")
_OPTION = re.compile(r"(?<!\w)--?[\w-]+")


def prose(text: str, flags: Sequence[str] = ()) -> str:
    """The text without tokens, quoted literals, identifiers, options and numbers."""
    return _prose_cached(text, tuple(flags))


@functools.lru_cache(maxsize=65536)
def _prose_cached(text: str, flags: tuple[str, ...]) -> str:
    text = _QUOTED.sub(" ", _strip_tokens(text, flags))
    if _LITERAL_MARK.search(text):  # (no mark in the text: none in any of its runs)
        text = _RUN.sub(lambda m: " " if _LITERAL_MARK.search(m.group(0)) else m.group(0), text)
    return _OPTION.sub(" ", text)


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def translatable(msgid: str, flags: Sequence[str] = (), *, names: bool = True) -> bool:
    return _translatable(msgid, tuple(flags), names)


@functools.lru_cache(maxsize=65536)
def _translatable(msgid: str, flags: tuple[str, ...], names: bool) -> bool:
    """False for segments that are the same in every language: names, numbers, URLs, code.

    With ``names=False`` a short Title Case phrase ("Account Expiration Date") counts as
    translatable too: only its being left identical is excused as a name.
    """
    ws = [w for w in words(prose(msgid, flags)) if len(w) >= 2 and not w.isupper()]
    if not ws:
        return False
    if names and all(w[:1].isupper() or any(c.isupper() for c in w[1:]) for w in ws) and len(ws) <= 3:
        return False  # "Mozilla Firefox", "GitHub": a name
    return sum(len(w) for w in ws) >= 4


def _final(text: str) -> str:
    t = text.rstrip()
    t = t.rstrip("\"'”’»)]*_")
    return t[-1:] if t else ""


# -- the checks -----------------------------------------------------------------------------


def _same(a: str, b: str) -> bool:
    def norm(x: str) -> str:
        return " ".join(x.split()).casefold().rstrip(".:!?…")

    return norm(a) == norm(b)


#: an identical msgstr with fewer prose words than this only warns
UNTRANSLATED_MIN_WORDS = 3


@register("untranslated")
def check_untranslated(m: Message, ctx: Context) -> list[Finding]:
    if not m.msgstr or not translatable(m.msgid, ctx.flags):
        return []
    if _same(m.msgstr, m.msgid):
        n = len([w for w in words(prose(m.msgid, ctx.flags)) if len(w) > 1])
        # one or two words ("rebase", "wait: %s") are often kept on purpose as technical terms
        return [Finding("untranslated", FAIL if n >= UNTRANSLATED_MIN_WORDS else WARN, "the msgstr is the English msgid")]
    src = {w.casefold() for w in words(prose(m.msgid, ctx.flags)) if len(w) > 2}
    tgt = [w.casefold() for w in words(prose(m.msgstr, ctx.flags)) if len(w) > 2 and not w.isupper()]
    if len(tgt) >= UNTRANSLATED_MIN_WORDS:
        same = sum(w in src for w in tgt) / len(tgt)
        if same >= 0.75:
            return [Finding("untranslated", FAIL, f"{same:.0%} of the words are the English ones")]
        if same >= 0.5:
            return [Finding("untranslated", WARN, f"{same:.0%} of the words are the English ones")]
    return []


#: letters of pt, fr, it, ca, de that Spanish does not write (ü only in güe/güi)
_ELISION = re.compile(r"(?i)(?:l|d|n|s|m|t|qu|j|c|dell|all|nell|sull)['’][^\W\d_]")
_FOREIGN = re.compile(r"[ãõçàèìòùâêîôûäöëïÿßœæŀÃÕÇÀÈÌÒÙÂÊÎÔÛÄÖËÏŒÆ]|(?<![gG])[üÜ]")

def language_text(m: Message, flags: Sequence[str] = ()) -> str:
    """The msgstr without what is not language: tokens, identifiers, words copied from the msgid.

    At most :data:`LANG_MAX_CHARS` characters: a language shows in far less, and the
    identifier's time grows with the text."""
    return _language_text(m.msgid, m.msgstr, tuple(flags))


@functools.lru_cache(maxsize=65536)
def _language_text(msgid: str, msgstr: str, flags: tuple[str, ...]) -> str:
    src = {w.casefold() for w in words(msgid)}
    return " ".join(w for w in words(prose(msgstr, flags)) if w.casefold() not in src)[:LANG_MAX_CHARS]


LANG_MAX_CHARS = 2000


def text_to_identify(m: Message, flags: Sequence[str] = ()) -> str | None:
    """The text whose language scores :func:`check_language` reads, or None when it decides without
    them (see there): the language identifier is loaded and run only for these texts."""
    text = language_text(m, flags) if m.msgstr and translatable(m.msgid, flags) else ""
    if _FOREIGN.search(text) or any(_ELISION.match(w) for w in words(text)):
        return None
    return text if sum(map(str.isalpha, text)) >= LANG_MIN_LETTERS else None


def language_scores(texts: Sequence[str]) -> list[dict[str, float]]:
    """Confidence per language code for each text (:mod:`.langid`, a model shipped as data)."""
    return langid.language_scores(texts)


#: below this many letters of own text the language is not judged
LANG_MIN_LETTERS = 12


@register("language")
def check_language(m: Message, ctx: Context) -> list[Finding]:
    if not m.msgstr or not translatable(m.msgid, ctx.flags):
        return []
    text = language_text(m, ctx.flags)
    foreign = sorted({c for c in _FOREIGN.findall(text)})
    if foreign:
        return [Finding("language", FAIL, "letters Spanish does not use: " + " ".join(foreign))]
    elided = [w for w in words(text) if _ELISION.match(w)]
    if elided:
        return [Finding("language", FAIL, "elisions Spanish does not write: " + ", ".join(elided[:3]))]
    letters = sum(map(str.isalpha, text))
    if letters < LANG_MIN_LETTERS:
        return []
    scores = ctx.language_scores
    if scores is None:
        scores = language_scores([text])[0]
    es = scores.get("es", 0.0)
    top = max(scores, key=scores.get) if scores else "es"
    if top == "es":
        return []
    # the es→en engine's dictionary is the second opinion: words it does not know are not Spanish
    unknown = _unknown_share(m, ctx)
    if unknown is not None:
        if unknown >= 0.3 and es < 0.25:
            return [Finding("language", FAIL, f"not Spanish: looks {top} ({scores[top]:.0%}), {unknown:.0%} of words unknown to a Spanish dictionary")]
        if top == "en" and es < 0.1 and scores[top] > 0.8:
            return [Finding("language", FAIL, f"not Spanish: looks English ({scores[top]:.0%})")]
        if scores[top] >= 0.7 and es < 0.15:
            return [Finding("language", FAIL, f"not Spanish: looks {top} ({scores[top]:.0%})")]
        if es < 0.1 and letters >= 30:
            return [Finding("language", WARN, f"may not be Spanish: looks {top} ({scores[top]:.0%})")]
        return []
    if es < 0.05 and letters >= 25:
        return [Finding("language", FAIL, f"not Spanish: looks {top} ({scores[top]:.0%})")]
    if es < 0.25:
        return [Finding("language", WARN, f"may not be Spanish: looks {top} ({scores[top]:.0%})")]
    return []


def _unknown_share(m: Message, ctx: Context) -> float | None:
    if ctx.bt_unknown is None:
        return None
    own = [w for w in words(language_text(m, ctx.flags)) if len(w) > 1]
    unk = _unknown(m, ctx)
    return min(1.0, len(unk) / len(own)) if own else 0.0


def _unknown(m: Message, ctx: Context) -> list[str]:
    src = m.msgid.casefold()
    lit = prose(m.msgstr, ctx.flags).casefold()
    return [w for w in ctx.bt_unknown or () if re.fullmatch(r"[^\W\d_]{2,}", w) and w.casefold() not in src and w.casefold() in lit]


@register("unknown-words")
def check_unknown_words(m: Message, ctx: Context) -> list[Finding]:
    """Words of the msgstr that no Spanish dictionary knows (es→en engine), and MT leftovers."""
    out = []
    for line in (ctx.comment or "").splitlines():
        if line.startswith("mt: unknown words:"):
            out.append(Finding("unknown-words", WARN, "the engine did not know: " + line.split(":", 2)[2].strip()))
        elif line.startswith("mt: problem:"):
            out.append(Finding("unknown-words", FAIL, line[len("mt: problem:"):].strip()))
    marked = re.findall(r"(?:(?<=\s)|^)[*#@][^\W\d_]+", _strip_tokens(m.msgstr, ctx.flags))
    if marked and not re.findall(r"(?:(?<=\s)|^)[*#@][^\W\d_]+", m.msgid):
        out.append(Finding("unknown-words", FAIL, "engine markers left in the text: " + ", ".join(marked[:5])))
    share = _unknown_share(m, ctx)
    if share is not None and ctx.bt_unknown:
        unk = _unknown(m, ctx)
        if len(unk) >= 3 and share >= 0.5:
            out.append(Finding("unknown-words", FAIL, f"{share:.0%} of the words are not Spanish: " + ", ".join(unk[:6])))
        elif len(unk) >= 2 and share >= 0.34:
            out.append(Finding("unknown-words", WARN, "words not in a Spanish dictionary: " + ", ".join(unk[:6])))
    return out


# numbers -------------------------------------------------------------------------------------

_DIGIT = re.compile(r"\d")
_NUM = re.compile(r"(?<![\d.,])\d+(?:[.,\u00a0\u202f]\d+)*(?![\d])")
_SCALE_EN = {"thousand": 10**3, "million": 10**6, "millions": 10**6, "billion": 10**9, "billions": 10**9, "trillion": 10**12}
_SCALE_ES = {"mil": 10**3, "millón": 10**6, "millon": 10**6, "millones": 10**6, "millardo": 10**9, "millardos": 10**9, "billón": 10**12, "billones": 10**12}
_WORDS_EN = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve".split())}
_WORDS_ES = {w: i for i, w in enumerate("cero uno dos tres cuatro cinco seis siete ocho nueve diez once doce".split())}
_WORDS_ES.update({"un": 1, "una": 1, "primer": 1, "primero": 1, "primera": 1, "segundo": 2, "segunda": 2, "tercer": 3, "tercero": 3, "tercera": 3})
_WORDS_EN.update({"first": 1, "second": 2, "third": 3, "once": 1, "twice": 2, "a": 1, "an": 1, "single": 1})


def _parse(s: str, style: str) -> set:
    """Candidate values of a written number (``style`` en or es, via babel's locale data)."""
    from babel.numbers import NumberFormatError, parse_decimal

    cands: set = {s}
    plain = s.replace("\u00a0", "").replace("\u202f", "")
    if plain.isascii() and plain.isdigit():
        return {s, Decimal(plain)}  # what every locale reads (babel not asked: most numbers)
    locales = ("en", "es") if style == "en" else ("es", "en", "es_MX")
    for loc in locales:
        try:
            cands.add(Decimal(parse_decimal(plain, locale=loc, strict=loc == "en" and style == "es")))
        except (NumberFormatError, InvalidOperation, ValueError):
            pass
    if re.fullmatch(r"\d+", plain):
        cands.add(Decimal(plain))
    return cands


_ES_SPACE_GROUP = re.compile(r"(?<![\d.,])(\d{1,3})((?: \d{3})+)(?!\d)")


def numbers_in(text: str, style: str) -> list[tuple[str, set]]:
    """Numbers written in digits, with a following scale word applied ("25 million")."""
    scales = _SCALE_EN if style == "en" else _SCALE_ES
    if style == "es":  # "1 000,5": a plain space as the group separator (same length, offsets kept)
        text = _ES_SPACE_GROUP.sub(lambda m: m.group(1) + m.group(2).replace(" ", "\u202f"), text)
    out = []
    for mt in _NUM.finditer(text):
        vals = _parse(mt.group(0), style)
        after = re.match(r"\s+([^\W\d_]+)", text[mt.end():])
        if after and after.group(1).casefold() in scales:
            k = scales[after.group(1).casefold()]
            vals = vals | {v * k for v in vals if isinstance(v, Decimal)}
        out.append((mt.group(0), vals))
    return out


def _word_numbers(text: str, table: dict[str, int]) -> list[set]:
    return [{Decimal(table[w.casefold()])} for w in words(text) if w.casefold() in table]


def _unmatched(numbers: list, pool: list[set]) -> list[str]:
    """The numbers (text, values) with no counterpart in ``pool``; each counterpart is used once."""
    pool = list(pool)
    out = []
    for text, vals in numbers:
        hit = next((i for i, pv in enumerate(pool) if vals & pv), None)
        if hit is None:
            out.append(text)
        else:
            pool.pop(hit)
    return out


@register("numbers")
def check_numbers(m: Message, ctx: Context) -> list[Finding]:
    if not m.msgstr or not (_DIGIT.search(m.msgid) or _DIGIT.search(m.msgstr)):
        return []  # (every number found is written in digits)
    src_text = _strip_tokens(m.msgid, ctx.flags)
    tgt_text = _strip_tokens(m.msgstr, ctx.flags)
    src = numbers_in(src_text, "en")
    tgt = numbers_in(tgt_text, "es")
    if not src and not tgt:
        return []
    out = []
    missing = _unmatched(src, [v for _s, v in tgt] + _word_numbers(tgt_text, _WORDS_ES))
    extra = _unmatched(tgt, [v for _s, v in src] + _word_numbers(src_text, _WORDS_EN))
    if missing:
        out.append(Finding("numbers", FAIL, "missing in the translation: " + ", ".join(missing)))
    if extra:
        out.append(Finding("numbers", FAIL, "not in the English: " + ", ".join(extra)))
    return out


# protected tokens ----------------------------------------------------------------------------


def _token_key(kind: str, text: str) -> str:
    if kind == "printf":
        return re.sub(r"^%\d+\$", "%", text)
    return text


_HTML_TAG = re.compile(r"</?(?:a|abbr|b|br|code|del|div|em|h[1-6]|hr|i|img|ins|kbd|li|ol|p|pre|q|s|small|span|strong|sub|sup|table|td|th|tr|u|ul|var)\b", re.I)


@register("placeholders")
def check_placeholders(m: Message, ctx: Context) -> list[Finding]:
    """URLs, e-mails, phones, printf/{x} placeholders, inline code, link targets: all kept exactly."""
    if not m.msgstr:
        return []
    src_tokens, tgt_tokens = _tokens(m.msgid, ctx.flags), _tokens(m.msgstr, ctx.flags)
    if not src_tokens and not tgt_tokens:
        return []
    src = Counter((k, _token_key(k, m.msgid[a:b])) for a, b, k in src_tokens)
    tgt = Counter((k, _token_key(k, m.msgstr[a:b])) for a, b, k in tgt_tokens)
    missing = src - tgt
    extra = tgt - src
    out = []
    if missing:
        # a key name such as <enter> may be translated; real HTML tags and everything else may not
        html_ok = all(k == "html tag" and not _HTML_TAG.match(t) for k, t in missing)
        out.append(Finding("placeholders", WARN if html_ok else FAIL, "missing: " + ", ".join(f"{k} {t}" for (k, t) in missing.elements())))
    if extra:
        # Spanish may legitimately add an HTML tag or inline code rarely; a placeholder never
        sev = FAIL if any(k in ("printf", "placeholder", "url", "email", "phone", "link target") for k, _t in extra) else WARN
        out.append(Finding("placeholders", sev, "not in the English: " + ", ".join(f"{k} {t}" for (k, t) in extra.elements())))
    return out


@register("glossary")
def check_glossary(m: Message, ctx: Context) -> list[Finding]:
    if not m.msgstr or not ctx.glossary:
        return []
    out = []
    low = m.msgstr.casefold()
    for t in dict.fromkeys(applicable_terms(m.msgid, ctx.glossary)):
        target = t.target.casefold()
        stem = target[:-1] if len(target) > 4 and target[-1] in "aeos" else target
        if target not in low and not re.search(r"(?<!\w)" + re.escape(stem), low):
            out.append(Finding("glossary", FAIL, f"{t.source} → {t.target} not used"))
    return out


@register("length")
def check_length(m: Message, ctx: Context) -> list[Finding]:
    if not m.msgstr or not translatable(m.msgid, ctx.flags):
        return []
    a, b = len(m.msgid.strip()), len(m.msgstr.strip())
    if a < LENGTH_MIN_CHARS or b == 0 or re.search(r"\S {3,}\S|\n.", m.msgid.strip()):  # columns, usage text
        return []
    r = math.log(b / a)
    for top, fail_lo, warn_lo, warn_hi, fail_hi in LENGTH_BOUNDS:
        if a <= top:
            break
    ratio = f"{b / a:.2f}× the English length"
    if r < fail_lo:
        return [Finding("length", FAIL, f"too short: {ratio} (Spanish is ≥ {math.exp(fail_lo):.2f}×)")]
    if r > fail_hi:
        return [Finding("length", FAIL, f"too long: {ratio} (Spanish is ≤ {math.exp(fail_hi):.2f}×)")]
    if r < warn_lo:
        return [Finding("length", WARN, f"short: {ratio}")]
    if r > warn_hi:
        return [Finding("length", WARN, f"long: {ratio}")]
    return []


@register("repeated-words")
def check_repeated(m: Message, ctx: Context) -> list[Finding]:
    if not m.msgstr:
        return []
    out = []
    src = None
    for mt in _REPEATED_ES.finditer(m.msgstr):
        w = mt.group(1)
        times = len(mt.group(0).split())
        if src is None:
            src = _REPEATED_EN.findall(m.msgid)
        if src and times <= 2:  # "that that" in the English may well be "que que"
            continue
        if len(w) >= 3 or times >= 3:
            out.append(Finding("repeated-words", FAIL, f"repeated: {mt.group(0)!r}"))
    return out[:1]


_REPEATED_EN = re.compile(r"(?i)\b(\w+)\s+\1\b")
_REPEATED_ES = re.compile(r"(?<![\w-])([^\W\d_]+)(?:[ \u00a0]\1){1,}(?![\w-])", re.I)
_PAIRS = (("(", ")"), ("[", "]"), ("{", "}"), ("«", "»"), ("“", "”"), ("¿", "?"), ("¡", "!"))


@register("brackets")
def check_brackets(m: Message, ctx: Context) -> list[Finding]:
    if not m.msgstr:
        return []
    out = []
    s, t = _strip_tokens(m.msgid, ctx.flags), _strip_tokens(m.msgstr, ctx.flags)
    for o, c in _PAIRS[:3]:
        if s.count(o) - s.count(c) == 0 and t.count(o) != t.count(c):
            out.append(Finding("brackets", WARN, f"unbalanced {o}{c}: {t.count(o)} open, {t.count(c)} closed"))
    for o, c in _PAIRS[3:5]:
        if len(s.strip()) >= 10 and t.count(o) != t.count(c):
            out.append(Finding("brackets", WARN, f"unbalanced {o}{c}"))
    if s.count('"') % 2 == 0 and t.count('"') % 2 == 1:
        out.append(Finding("brackets", WARN, 'odd number of " quotes'))
    if "¿" in t and "?" not in t:
        out.append(Finding("brackets", WARN, "¿ without ?"))
    return out


@register("punctuation")
def check_punctuation(m: Message, ctx: Context) -> list[Finding]:
    if not m.msgstr:
        return []
    a, b = _final(m.msgid), _final(m.msgstr)
    groups = {".": ".…", "…": ".…", "?": "?", "!": "!", ":": ":", ";": ";"}
    if a in groups and b not in groups[a]:
        if a == "." and m.msgid.rstrip().endswith("...") or a == "…":
            if b in ".…":
                return []
        return [Finding("punctuation", WARN, f"ends with {b!r}, the English with {a!r}")]
    if a and a.isalnum() and b in ".?!:" and not m.msgstr.rstrip().endswith(".."):
        return [Finding("punctuation", WARN, f"ends with {b!r}, the English does not")]
    return []


_FUNCTION_ES = frozenset("a al con de del el en la las lo los o para por que se su sus u un una y e ni sin sobre entre hacia desde".split())
_FUNCTION_EN = frozenset("a an the of to in on at by for with and or from as that than into".split())
_TAIL_ES, _TAIL_EN = re.compile(r"([^\W\d_]+)\s*$"), re.compile(r"([^\W\d_]+)\W*$")


@register("truncated")
def check_truncated(m: Message, ctx: Context) -> list[Finding]:
    """A msgstr that ends on an article, preposition or conjunction was cut off."""
    tail = _TAIL_ES.search(m.msgstr) if m.msgstr else None
    if not tail or tail.group(1).casefold() not in _FUNCTION_ES or not translatable(m.msgid, ctx.flags, names=False):
        return []
    src_tail = _TAIL_EN.search(m.msgid)
    if not (src_tail and src_tail.group(1).casefold() in _FUNCTION_EN):
        return [Finding("truncated", FAIL, f"ends on {tail.group(1)!r}: the sentence is cut")]
    return []


@register("back-translation")
def check_back_translation(m: Message, ctx: Context) -> list[Finding]:
    """chrF (sacrebleu) of the es→en back-translation against the msgid."""
    if ctx.back_translation is None or not m.msgstr or not translatable(m.msgid, ctx.flags, names=False):
        return []
    if len([w for w in words(m.msgid) if len(w) > 1]) < CHRF_MIN_WORDS:
        return []
    score = chrf(ctx.back_translation, m.msgid)
    fail, warn, how = CHRF_FAIL, CHRF_WARN, "back-translation"
    if ctx.forward_translation:
        fwd = chrf(m.msgstr, ctx.forward_translation)
        how = f"back-translation {score:.0f}, forward {fwd:.0f}"
        score = max(score, fwd)
        fail, warn = CHRF2_FAIL, CHRF2_WARN
    if score < fail:
        return [Finding("back-translation", FAIL, f"chrF {score:.0f} < {fail:.0f} ({how}): the meaning differs")]
    if score < warn:
        return [Finding("back-translation", WARN, f"chrF {score:.0f} < {warn:.0f} ({how})")]
    return []


def run_checks(m: Message, ctx: Context, names: Sequence[str] | None = None) -> list[Finding]:
    out: list[Finding] = []
    for name, fn in REGISTRY.items():
        if names is None or name in names:
            out.extend(fn(m, ctx))
    return out


def verdict(findings: Sequence[Finding]) -> str:
    if any(f.severity == FAIL for f in findings):
        return FAIL
    if findings:
        return WARN
    return "pass"
