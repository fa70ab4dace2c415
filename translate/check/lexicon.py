"""Which words Spanish and English know: Apertium's morphological analysers, in batches.

Evidence that does not come from the engine that made a translation: the analysers of the
Debian package ``apertium-eng-spa`` (``spa-eng.automorf.bin`` analyses Spanish,
``eng-spa.automorf.bin`` analyses English) tell, word by word, whether a dictionary knows
it. ``lt-proc`` runs once per batch over every distinct word, never once per word, and the
answers are kept for the life of the :class:`Lexicon`.

Where the analysers are is read from Apertium's own mode files (the first ``lt-proc`` of the
``eng-spa`` / ``spa-eng`` pipelines), so nothing here names a folder of one machine.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Iterable

from ..mt.engines.apertium_stream import analyser_of

#: the analyser of each language, as the first program of this Apertium mode
_MODE_OF = {"es": "spa-eng", "en": "eng-spa"}
#: one analysed unit of lt-proc's stream: ^surface/analysis/analysis$ (``/*surface`` = unknown)
_UNIT = re.compile(r"\^((?:\\.|[^/$\\])*)/((?:\\.|[^$\\])*)\$")


def analyser_path(lang: str) -> Path | None:
    """The morphological analyser (``*.automorf.bin``) of ``lang`` (es or en), if installed."""
    mode = _MODE_OF.get(lang)
    return analyser_of(mode) if mode else None


def _analyse(binary: Path, words: list[str]) -> dict[str, bool]:
    """Known (True) or not for each word, from one ``lt-proc -w`` run over all of them.

    Words go one a line, each followed by a full stop on its own line so that no multi-word
    expression of the dictionary joins two of them.
    """
    stream = "".join(f"{w}\n.\n" for w in words)
    p = subprocess.run(["lt-proc", "-w", str(binary)], input=stream, capture_output=True, text=True, check=True)
    known: dict[str, bool] = {}
    for surface, analyses in _UNIT.findall(p.stdout):
        surface = surface.replace("\\", "")
        ok = not analyses.startswith("*")
        for w in surface.split():
            known[w] = known.get(w, False) or ok
    return {w: known.get(w, False) for w in words}


#: Hunspell dictionaries (Debian hunspell-es, hunspell-en-us) consulted beside the analysers
HUNSPELL = {"es": "es_ES", "en": "en_US"}


#: where Hunspell looks for dictionaries besides ``$DICPATH`` (its built-in search path)
HUNSPELL_DIRS = ("/usr/share/hunspell", "/usr/share/myspell", "/usr/share/myspell/dicts")


@functools.lru_cache(maxsize=4)
def hunspell_available(name: str) -> bool:
    """Is ``hunspell`` installed with the dictionary ``name`` (its .dic and .aff on Hunspell's
    search path)? Found by the files: a probe run would load the dictionary, ~0.2 s before
    the first verdict of every run."""
    if shutil.which("hunspell") is None:
        return False
    dirs = [d for d in os.environ.get("DICPATH", "").split(os.pathsep) if d] + list(HUNSPELL_DIRS)
    return any((Path(d) / f"{name}.dic").is_file() and (Path(d) / f"{name}.aff").is_file() for d in dirs)


def _hunspell(name: str, words: list[str]) -> dict[str, bool]:
    """Known or not for each word, from one ``hunspell -l`` run (it prints the unknown ones)."""
    p = subprocess.run(["hunspell", "-i", "utf-8", "-l", "-d", name], input="".join(w + "\n" for w in words),
                       capture_output=True, text=True, check=True)
    bad = set(p.stdout.split())
    return {w: w not in bad for w in words}


class Lexicon:
    """Dictionary look-ups for Spanish (``es``) and English (``en``), batched and remembered.

    A word is known to a language when Apertium's analyser or (if installed) Hunspell's
    dictionary knows it; ``hunspell=False`` keeps to the analysers.
    """

    def __init__(self, hunspell: bool = True) -> None:
        self.paths = {lang: analyser_path(lang) for lang in _MODE_OF}
        self.hunspell = {lang: name for lang, name in HUNSPELL.items() if hunspell and hunspell_available(name)}
        self._known: dict[str, dict[str, bool]] = {lang: {} for lang in _MODE_OF}

    @property
    def available(self) -> bool:
        return all(self.paths.values())

    def describe(self) -> str:
        """Which dictionaries ran, for the report's legend."""
        if not self.available:
            return "no dictionary (Apertium's analysers are not installed)"
        extra = f"; Hunspell {', '.join(self.hunspell.values())}" if self.hunspell else ""
        return "Apertium analysers (apertium-eng-spa) for Spanish and English" + extra

    def learn(self, lang: str, words: Iterable[str]) -> None:
        """Look up every word not asked before, in one run of each dictionary."""
        self.learn_all(words, (lang,))

    def learn_all(self, words: Iterable[str], langs: tuple[str, ...] = ("es", "en")) -> None:
        """Look up every word not asked before in each language; the (up to four) dictionary
        programs run side by side."""
        from concurrent.futures import ThreadPoolExecutor

        words = list(words)
        todo = {lang: list(dict.fromkeys(w for w in words if w not in self._known[lang])) for lang in langs}
        jobs = {}
        with ThreadPoolExecutor(max_workers=4) as pool:
            for lang, ws in todo.items():
                if ws and self.paths.get(lang) is not None:
                    jobs[lang, "analyser"] = pool.submit(_analyse, self.paths[lang], ws)
                if ws and lang in self.hunspell:
                    jobs[lang, "hunspell"] = pool.submit(_hunspell, self.hunspell[lang], ws)
            for lang, ws in todo.items():
                analysed = jobs[lang, "analyser"].result() if (lang, "analyser") in jobs else {}
                spelled = jobs[lang, "hunspell"].result() if (lang, "hunspell") in jobs else {}
                self._known[lang].update({w: (analysed.get(w, False), spelled.get(w, False)) for w in ws})

    def _entry(self, lang: str, word: str) -> tuple[bool, bool]:
        table = self._known[lang]
        if word not in table:
            self.learn(lang, [word])
        return table[word]

    def english(self, word: str) -> bool:
        """Does an English dictionary (analyser or Hunspell) know ``word``?"""
        return any(self._entry("en", word))

    def spanish(self, word: str) -> bool:
        """Is ``word`` Spanish: known to the Spanish analyser, or to Hunspell's Spanish
        dictionary and to no English one (Hunspell's Spanish list holds anglicisms: "files")."""
        analysed, spelled = self._entry("es", word)
        return analysed or (spelled and not self.english(word))

    def knows(self, lang: str, word: str) -> bool:
        """Does any ``lang`` dictionary know ``word``? (Looked up on demand if not learnt.)"""
        return any(self._entry(lang, word))


@functools.lru_cache(maxsize=1)
def shared_lexicon() -> Lexicon:
    """One lexicon per process: the analysers' answers are kept across catalogues."""
    return Lexicon()
