"""A quality score per entry (0–100, higher is better) and the verdict it gives.

The score combines every signal of an entry in a logistic regression whose parameters ship
in ``quality_model.json`` beside this module (plain JSON: feature names, the standardisation,
the weights, the thresholds), one model per population: text a machine made (an ``mt:``
provenance line) and text a person wrote. ``bench/fit_quality.py`` fits them on the
*training* Debian catalogues only: Apertium's output for their English, labelled by chrF
against the human Spanish (< 30 is bad), and human entries, correct or made wrong as in
``tests/data/eval``. No scikit-learn is needed at run time: the score is
``100 × (1 − sigmoid(w·z + b))`` with ``z`` the standardised signals.

The signals (:func:`features`): Spanish word coverage by Apertium's analysers and Hunspell
(:mod:`.words`), English words left in, glued and unknown words, a msgstr left identical to
an English msgid, words and word pairs unusual in human software Spanish
(``quality_words.txt``), for machine text the fitted log-odds of its words, the length
ratio, the round trip's chrF (back and forward), and the findings of the rule checks of
:mod:`.signals`.

Verdicts: ``fail`` when the score is below the model's ``fail_below`` or a check the model
lists as *certain* fails (a number or a placeholder changed: near-certain errors);
``warn`` when the score is below ``warn_below`` or any check has a finding; else ``pass``.
A failing rule check above the fail line of the score is reported as a warning. A msgid
kept as it is in no English word (a name, a code) gets no score: the exact checks judge it.
"""

from __future__ import annotations

import functools
import json
import math
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Sequence

from .lexicon import Lexicon
from .signals import FAIL, WARN, Finding, chrf
from .words import Coverage, coverage, glue_parts, left_in_english, lookups, same_text

MODEL_PATH = Path(__file__).with_name("quality_model.json")
#: the words and word pairs of human Spanish software translations (training catalogues, 2+
#: occurrences each): a word outside it ("lima" for *file*, "envase" for *package*) or a pair
#: ("error leído") is a machine's choice more often than a translator's
VOCAB_PATH = Path(__file__).with_name("quality_words.txt")

#: what each feature means to a reviewer (the reasons given for a low score)
LABELS = {
    "en_share": "English words left in",
    "unknown_share": "words no dictionary knows",
    "glued": "glued words",
    "es_missing": "few Spanish words",
    "identical_en": "left in English",
    "len_dev": "length unlike the English",
    "bt_low": "back-translation differs",
    "fw_low": "differs from a fresh machine translation",
    "mt_unknown": "words the engine did not know",
    "rare_share": "words unusual in software Spanish",
    "pairs_unseen": "word pairs unusual in software Spanish",
    "msgid_len": "a short string (machines miss those most)",
    "words": "few words",
    "len_short": "shorter than the English",
    "odds_max": "a word machines often get wrong",
    "odds_mean": "words machines often get wrong",
}


@dataclass(frozen=True)
class Model:
    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    fail_below: float
    warn_below: float
    certain: frozenset[str]
    about: str = ""
    #: word → log-odds that a machine translation holding it is bad (fitted; machine model only)
    words: dict[str, float] | None = None

    def bad_logit(self, x: dict[str, float]) -> tuple[float, list[tuple[float, str]]]:
        """w·z + b for the standardised features, and each feature's contribution."""
        parts = [(w * (x.get(name, 0.0) - m) / s, name) for name, m, s, w in zip(self.features, self.mean, self.scale, self.coef)]
        return self.intercept + sum([p for p, _n in parts]), parts

    def score(self, x: dict[str, float]) -> tuple[int, list[str]]:
        """The score 0–100 and the (at most three) signals that lowered it most."""
        z, parts = self.bad_logit(x)
        p_bad = 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))
        reasons = [LABELS.get(n, n.replace("f_", "check ")) for p, n in sorted(parts, reverse=True)[:3] if p > 0.5]
        return round(100 * (1 - p_bad)), reasons


#: the two populations, each with its own model: text a machine made (an ``mt:`` provenance
#: line names the engine) and text a person wrote
POPULATIONS = ("machine", "human")


@functools.lru_cache(maxsize=2)
def load_model(path: Path = MODEL_PATH) -> dict[str, Model] | None:
    """The shipped models by population, or None when the file is missing (rule checks alone)."""
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    out = {}
    for pop in POPULATIONS:
        d = data.get(pop)
        if not d:
            return None
        out[pop] = Model(
            tuple(d["features"]), tuple(d["mean"]), tuple(d["scale"]), tuple(d["coef"]), float(d["intercept"]),
            float(d["fail_below"]), float(d["warn_below"]), frozenset(d.get("certain", ())), data.get("about", ""),
            d.get("words"),
        )
    return out


@functools.lru_cache(maxsize=1)
def load_vocab(path: Path = VOCAB_PATH) -> frozenset[str]:
    """The software-Spanish words and word pairs (lower case), empty when the file is missing."""
    if not path.is_file():
        return frozenset()
    return frozenset(x for x in path.read_text(encoding="utf-8").split("\n") if x)


_ES_WORD = re.compile(r"[^\W\d_]{2,}")


def spanish_words(text: str) -> list[str]:
    """Runs of 2+ letters, as the word list was counted (bench/fit_quality.py)."""
    return _ES_WORD.findall(text)


# -- the signals of one entry ------------------------------------------------------------------

#: the rule checks whose findings are features (fail 1, warn 0.5)
RULE_CHECKS = ("untranslated", "language", "unknown-words", "numbers", "placeholders", "glossary", "length",
               "repeated-words", "brackets", "punctuation", "truncated", "back-translation")


def features(
    msgid: str,
    msgstr: str,
    cov: Coverage,
    findings: Sequence[Finding],
    *,
    back_translation: str | None = None,
    forward_translation: str | None = None,
    mt_unknown: int = 0,
) -> dict[str, float]:
    """The numbers the model weighs for one (English, Spanish) pair."""
    n = cov.total
    x: dict[str, float] = {
        "words": math.log1p(n),
        "en_share": cov.share("en"),
        "unknown_share": cov.share("unknown"),
        "glued": float(bool(cov.glued)),
        "es_missing": 1.0 - cov.share("es") if n else 0.0,
        "identical_en": float(left_in_english(msgid, msgstr, cov)),
        "mt_unknown": mt_unknown / n if n else 0.0,
    }
    vocab = load_vocab()
    x["rare_share"] = sum(w.casefold() not in vocab for w in cov.spanish) / n if n and vocab else 0.0
    ws = [w.casefold() for w in spanish_words(msgstr)]
    pairs = [f"{u} {v}" for u, v in zip(ws, ws[1:])]
    x["pairs_unseen"] = sum(p not in vocab for p in pairs) / len(pairs) if pairs and vocab else 0.0
    a, b = len(msgid.strip()) or 1, len(msgstr.strip()) or 1
    x["msgid_len"] = math.log(a)  # short strings: more often wrong, and chrF judges them harshly
    r = math.log(b / a)
    x["len_dev"] = abs(r - 0.12) * min(1.0, a / 40)  # short strings vary the most
    x["len_short"] = max(0.0, -r) * min(1.0, a / 40)
    # chrF of short strings is coarse, but still evidence ("Close" → "Cercano" → "Near"): the
    # model weighs it with the msgid's length
    x["bt_low"] = (100 - chrf(back_translation, msgid)) / 100 if back_translation is not None else 0.0
    x["fw_low"] = (100 - chrf(msgstr, forward_translation)) / 100 if forward_translation else 0.0
    worst: dict[str, float] = {}
    for f in findings:
        worst[f.check] = max(worst.get(f.check, 0.0), 1.0 if f.severity == FAIL else 0.5)
    x.update({"f_" + name: worst.get(name, 0.0) for name in RULE_CHECKS})
    return x


def word_odds(msgstr: str, table: dict[str, float]) -> dict[str, float]:
    """The highest and the mean log-odds of "bad" over the msgstr's distinct words."""
    v = [table.get(w, 0.0) for w in {w.casefold() for w in spanish_words(msgstr)}]
    return {"odds_max": max(v, default=0.0), "odds_mean": sum(v) / len(v) if v else 0.0}


def _mt_unknown(comment: str) -> int:
    for line in (comment or "").splitlines():
        if line.startswith("mt: unknown words:"):
            return len(line.split(":", 2)[2].split(","))
    return 0


@dataclass
class Assessment:
    """What the quality stage adds to an entry's result."""

    score: int | None  #: None without a model (the signals are still computed: bench/fit_quality.py)
    reasons: list[str]
    x: dict[str, float]


def learn_words(lex: Lexicon, pairs: Sequence[tuple[str, str, Sequence[str]]]) -> None:
    """Look up, in one analyser run per language, every word of every (msgid, msgstr, flags)."""
    cands = [w for _i, s, f in pairs for w in lookups(s, f)]
    lex.learn_all(cands)
    unknown = [w for w in cands if not lex.spanish(w) and not lex.english(w)]
    lex.learn_all(glue_parts(unknown))  # English too: Hunspell's Spanish list holds anglicisms


def assess(
    lex: Lexicon,
    model: Model | None,
    msgid: str,
    msgstr: str,
    findings: Sequence[Finding],
    *,
    flags: Sequence[str] = (),
    comment: str = "",
    terms: Sequence[str] = (),
    back_translation: str | None = None,
    forward_translation: str | None = None,
) -> tuple[Assessment | None, list[Finding]]:
    """Score one pair; returns the assessment and the word findings (left in English, glued).

    A msgid kept as it is and made of no English word (a name, a code) is not scored: None
    and the findings without "untranslated"."""
    cov = coverage(msgid, msgstr, lex, flags, terms)
    if same_text(msgid, msgstr) and not cov.counts["en"]:
        # the msgid kept as it is, in no English word: a name, an identifier, a code ("gzip",
        # "UTF-8"): only the exact checks judge it
        return None, [f for f in findings if f.check != "untranslated"]
    extra: list[Finding] = []
    if left_in_english(msgid, msgstr, cov):
        extra.append(Finding("left-in-english", FAIL, "the English msgid, in English words: " + ", ".join(cov.english[:6])))
    if cov.glued:
        extra.append(Finding("unknown-words", WARN, "glued words: " + ", ".join(cov.glued[:4])))
    x = features(msgid, msgstr, cov, [*findings, *extra], back_translation=back_translation,
                 forward_translation=forward_translation, mt_unknown=_mt_unknown(comment))
    if model is None:
        return Assessment(None, [], x), extra
    if model.words:
        x.update(word_odds(msgstr, model.words))
    score, reasons = model.score(x)
    return Assessment(score, reasons, x), extra


def decide(model: Model | None, a: Assessment | None, findings: list[Finding]) -> tuple[str, list[Finding]]:
    """The verdict from the score and the findings, and the findings as reported."""
    if model is None or a is None or a.score is None:
        return (FAIL if any(f.severity == FAIL for f in findings) else WARN if findings else "pass"), findings
    why = f"score {a.score}/100" + (f": {', '.join(a.reasons)}" if a.reasons else "")
    out = list(findings)
    if a.score < model.fail_below:
        return FAIL, out + [Finding("quality", FAIL, why)]
    if any(f.severity == FAIL and f.check in model.certain for f in out):
        return FAIL, out
    out = [replace(f, severity=WARN) if f.severity == FAIL else f for f in out]
    if a.score < model.warn_below:
        out.append(Finding("quality", WARN, why))
    return (WARN if out else "pass"), out


def score_entries(items: Sequence[tuple], glossary: Sequence = (), lex: Lexicon | None = None) -> str:
    """Score and judge every checked pair: ``items`` are (entry, msgid, msgstr, result, forward
    translation); each result gets its ``score`` and its final verdict and findings.

    Returns which signals ran, for the report's notes.
    """
    from ..mt.protect import applicable_terms
    from .lexicon import shared_lexicon

    from .crossrt import made_by

    lex = lex or shared_lexicon()
    if not lex.available:
        return f"quality score not computed: {lex.describe()}"
    models = load_model()
    learn_words(lex, [(i, s, tuple(e.flags)) for e, i, s, _r, _f in items])
    for e, i, s, r, fw in items:
        model = models["machine" if made_by(e) else "human"] if models else None
        terms = [t.target for t in applicable_terms(i, glossary)] if glossary else []
        a, kept = assess(lex, model, i, s, r.findings, flags=tuple(e.flags), comment=e.comment or "", terms=terms,
                         back_translation=r.back_translation, forward_translation=fw)
        if a is None:  # a name or a code: the exact checks alone
            r.findings = kept
            r.verdict = FAIL if any(f.severity == FAIL for f in kept) else WARN if kept else "pass"
            continue
        r.verdict, r.findings = decide(model, a, [*r.findings, *kept])
        r.score, r.signals = a.score, a.x
    if models is None:
        return "quality score not computed: no model"
    return f"quality score: {lex.describe()}; {models['human'].about}"


def describe_signals(back) -> str:
    """Which signals run, for the report's notes: dictionaries, round trip, model."""
    from .lexicon import shared_lexicon

    lex = shared_lexicon()
    parts = [f"dictionaries: {lex.describe()}"]
    if back is not None and back.engine is not None:
        name = getattr(back.engine, "name", "?")
        cross = getattr(back, "cross", None)
        if cross is not None:
            parts.append(f"round trip: machine text made by {name} is back-translated by {cross.name} (cross-engine), other text by {name}")
        else:
            parts.append(f"round trip: {name} es→en only; for text {name} made this is a same-engine round trip, a weak signal")
    models = load_model()
    parts.append(models["human"].about if models else "no quality model: rule checks only")
    return "signals: " + "; ".join(parts)
