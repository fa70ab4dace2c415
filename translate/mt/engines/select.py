"""Which engines are installed, and loading one by name (``auto`` prefers Argos)."""

from __future__ import annotations

from dataclasses import dataclass

from ...errors import EngineError, EngineMissingError
from . import apertium

INSTALL_HINTS = {
    "apertium": "sudo apt-get install -y apertium-eng-spa",
    "argos": "translate engines install argos en es (or --file PKG.argosmodel)",
}


@dataclass(frozen=True)
class PairInfo:
    engine: str
    source: str
    target: str
    detail: str


def installed() -> list[PairInfo]:
    """Every installed (engine, language pair)."""
    out: list[PairInfo] = []
    ver = apertium.version()
    for src, tgt in apertium.pairs():
        out.append(PairInfo("apertium", src, tgt, f"apertium-eng-spa {ver}" if {src, tgt} == {"en", "es"} else ver))
    try:
        from . import argos

        for src, tgt, desc in argos.installed_pairs():
            out.append(PairInfo("argos", src, tgt, desc))
    except EngineMissingError:
        pass
    return out


def load_engine(name: str, source: str, target: str, **options):
    """Load ``name`` ("auto", "argos" or "apertium") for source→target.

    ``auto`` takes Argos when a package for the pair is installed, else Apertium, else
    raises EngineMissingError with the commands that would install either.
    """
    if name == "auto":
        pairs = installed()
        if any(p.engine == "argos" and (p.source, p.target) == (source, target) for p in pairs):
            name = "argos"
        elif any(p.engine == "apertium" and (p.source, p.target) == (source, target) for p in pairs):
            name = "apertium"
        else:
            raise EngineMissingError(
                f"no engine installed for {source}→{target}; install one with "
                f"'{INSTALL_HINTS['apertium']}', or '{INSTALL_HINTS['argos']}'"
            )
    if name == "argos":
        from .argos import ArgosEngine

        keys = ("beam_size", "inter_threads", "intra_threads", "compute_type", "max_batch_tokens")
        return ArgosEngine.load(source, target, **{k: v for k, v in options.items() if k in keys and v is not None})
    if name == "apertium":
        from .apertium import ApertiumEngine

        return ApertiumEngine.load(source, target)
    raise EngineError(f"unknown engine {name!r} (choose auto, argos or apertium)")


def translate_with_markers(engine, texts: list[str]) -> tuple[list[str], list[tuple[str, ...]]]:
    """Outputs and, for engines that mark unknown words (Apertium), the marked words."""
    if hasattr(engine, "translate_batch_with_markers"):
        res = engine.translate_batch_with_markers(texts)
        return [r.text for r in res], [tuple(r.unknown) for r in res]
    outs = engine.translate_batch(texts)
    return outs, [()] * len(outs)
