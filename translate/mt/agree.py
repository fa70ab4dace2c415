"""Articles that agree with a glossary term.

A glossary term goes to the engine as an opaque placeholder (``ZXQ3``), so the engine
chooses the article before it blind, and Apertium's default is masculine singular:
"el ZXQ3" becomes "el Organización Internacional del Trabajo". Here the article (or the
contraction ``del`` / ``al``) right before a term's placeholder is put in the term's
gender and number: "la Organización…", "de la Conferencia…", "los Principios…".

Only an article that belongs to the term is changed. When the English term is a modifier
inside a longer noun phrase ("the ILO Migration Specialist", "the RCM countries"), the
article agrees with the head noun the engine translated, so it is left alone: see
:func:`heads_phrase`.

Pure functions; no I/O (the genders come from the glossary or from
:mod:`translate.mt.glossary`, which asks Apertium's Spanish analyser).
"""

from __future__ import annotations

import re
from typing import Mapping

#: article class → form by (gender, number)
_FORMS = {
    "def": {("m", "sg"): "el", ("f", "sg"): "la", ("m", "pl"): "los", ("f", "pl"): "las"},
    "de": {("m", "sg"): "del", ("f", "sg"): "de la", ("m", "pl"): "de los", ("f", "pl"): "de las"},
    "a": {("m", "sg"): "al", ("f", "sg"): "a la", ("m", "pl"): "a los", ("f", "pl"): "a las"},
    "indef": {("m", "sg"): "un", ("f", "sg"): "una", ("m", "pl"): "unos", ("f", "pl"): "unas"},
}
_CLASS_OF = {form: cls for cls, forms in _FORMS.items() for form in forms.values()}
#: the article, longest forms first ("de la" before "la"), at the end of the text before a term
_ARTICLE = re.compile(
    r"(?<!\w)(" + "|".join(f.replace(" ", " +") for f in sorted(_CLASS_OF, key=len, reverse=True)) + r")( +)$",
    re.IGNORECASE,
)

#: English words that can follow a term without making it a modifier of a following noun
#: ("the ILO said", "the IOM and the ILO", "the RCM, which…"): function words and the
#: reporting verbs of press releases. Any other word after the term may be the head noun.
_NOT_A_HEAD = frozenset(
    """a about above across after against along also although among an and are around as at be
    because been before being below between both but by can could did do does during each either
    for from had has have he her his how if in including into is it its may might must nor not of
    on or over per said says should since so such than that the their them then there these they
    this those through to too toward towards under until up upon via was we were what when where
    whether which while who whom whose will with within without would yet you added announced
    explained noted stated stressed highlighted pointed recalled reported welcomed""".split()
)


def heads_phrase(source: str, end: int) -> bool:
    """Does the term ending at ``source[end]`` end its noun phrase (so the article is its own)?

    False when the next word could be the head noun the term modifies ("ILO Specialist",
    "RCM countries"); a function word, a reporting verb, a lower-case past form in ``-ed``
    or a possessive ``'s`` after the term ends the phrase.
    """
    m = re.match(r"(?:['’]s)?(\s+)?([A-Za-z][\w-]*)?", source[end:])
    if m is None or not m.group(2) or not m.group(1) or source[end:].startswith(("'s", "’s")):
        return True
    word = m.group(2)
    return word.lower() in _NOT_A_HEAD or (word.islower() and word.endswith("ed"))  # "the RCM discussed"


def parse_gender(cell: str) -> tuple[str, str]:
    """A glossary gender cell ("f", "m", "f pl", "fem. plural", "") as (gender, number)."""
    words = re.findall(r"[a-z]+", cell.lower())
    gender = next((w[0] for w in words if w in ("m", "f", "masc", "fem", "masculine", "feminine", "masculino", "femenino")), "")
    number = "pl" if any(w in ("pl", "plural", "p") for w in words) else ("sg" if gender else "")
    return gender, number


def _agreeing(article: str, gender: str, number: str) -> str:
    form = _FORMS[_CLASS_OF[" ".join(article.lower().split())]][(gender, number)]
    return form[0].upper() + form[1:] if article[0].isupper() else form


def agree_articles(text: str, placeholders: Mapping[str, tuple[str, str]]) -> str:
    """Make the article before each placeholder agree with its (gender, number).

    ``placeholders``: placeholder text (``ZXQ3``) → (gender, number) of the term it stands for.
    """
    for ph, (gender, number) in placeholders.items():
        if gender not in ("m", "f") or number not in ("sg", "pl"):
            continue
        out, pos = [], 0
        for m in re.finditer(re.escape(ph) + r"(?!\d)", text):
            before = text[pos : m.start()]
            a = _ARTICLE.search(before)
            if a:
                before = before[: a.start()] + _agreeing(a.group(1), gender, number) + a.group(2)
            out.append(before + m.group(0))
            pos = m.end()
        text = "".join(out) + text[pos:]
    return text
