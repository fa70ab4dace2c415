"""The round trips of a catalogue: structural (source ↔ catalogue ↔ editions) and catalogue
(msgfmt, babel → .mo → gettext, polib ↔ babel)."""

from __future__ import annotations

import difflib
import gettext
import io
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import polib
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po as babel_read_po
from markdown_it import MarkdownIt

from ..config import Config, source_files
from ..segment.stage import load_document


@dataclass
class RoundTrip:
    check: str
    ok: bool
    detail: str = ""

    def to_dict(self) -> dict:
        return {"check": self.check, "ok": self.ok, "detail": self.detail}


def catalogue_round_trip(path: Path, po: polib.POFile) -> list[RoundTrip]:
    """msgfmt --check, babel → .mo → gettext returns every msgstr, polib and babel agree."""
    out: list[RoundTrip] = []
    if shutil.which("msgfmt"):
        p = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
        errs = [x for x in p.stderr.strip().splitlines() if "warning:" not in x] or p.stderr.strip().splitlines()
        err = " ".join(errs[:2])
        out.append(RoundTrip("msgfmt", p.returncode == 0, err or "msgfmt --check accepts it"))
    else:
        out.append(RoundTrip("msgfmt", True, "skipped: GNU gettext's msgfmt is not installed"))
    try:
        with open(path, "rb") as f:
            cat = babel_read_po(f, abort_invalid=False)
        buf = io.BytesIO()
        write_mo(buf, cat, use_fuzzy=False)
        out.append(RoundTrip("babel-compile", True, f"{len(buf.getvalue())} bytes of .mo"))
    except Exception as e:  # babel raises many kinds on bad input; we report, not crash
        out.append(RoundTrip("babel-compile", False, f"babel cannot compile it: {e}"))
        return out
    buf.seek(0)
    tr = gettext.GNUTranslations(buf)
    bad = []
    for e in po:
        if e.obsolete or not e.msgid or "fuzzy" in e.flags or e.msgid_plural or not e.msgstr:
            continue
        got = tr.pgettext(e.msgctxt, e.msgid) if e.msgctxt else tr.gettext(e.msgid)
        if got != e.msgstr:
            bad.append(e.msgid)
    out.append(RoundTrip("gettext-mo", not bad, f"{len(bad)} msgstr not returned, first: {bad[0][:60]!r}" if bad else "every msgstr returned"))
    ours = {(e.msgctxt or None, e.msgid, e.msgstr) for e in po if not e.obsolete and e.msgid and not e.msgid_plural}
    theirs = set()
    for m in cat:
        if m.id and not isinstance(m.id, (list, tuple)):
            theirs.add((m.context or None, m.id, m.string or ""))
    diff = ours ^ theirs
    out.append(RoundTrip("polib-babel", not diff, f"{len(diff)} entries differ" if diff else f"{len(ours)} entries read the same"))
    return out


# -- structural round trip (project) ---------------------------------------------------------


def _skeleton(text: str, fmt: str) -> list[str]:
    if fmt == "md":
        toks = MarkdownIt("commonmark").enable("table").parse(text)
        sk = []
        for t in toks:
            if t.nesting >= 0 and t.type not in ("inline", "text"):
                sk.append(t.type + (t.tag if t.type == "heading_open" else ""))
            if t.type in ("fence", "code_block"):
                sk.append("code:" + t.content)
            for c in t.children or ():
                if c.type == "link_open":
                    sk.append("link:" + str(c.attrs.get("href")))
                elif c.type == "image":
                    sk.append("image:" + str(c.attrs.get("src")))
                elif c.type == "code_inline":
                    sk.append("code:" + c.content)
        return sk
    return [f"paragraph:{len(p.splitlines())>0}" for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]


def structural_round_trip(config: Config, lang: str, domain: str, po: polib.POFile) -> tuple[list[RoundTrip], dict]:
    """Source ↔ catalogue ↔ editions for one domain; returns the round trips and entry notes."""
    src = [p for p in source_files(config) if p.stem == domain] if config.source_dir.is_dir() else []
    if not src:
        return [RoundTrip("source", False, f"no source document for domain {domain!r}")], {}
    doc = load_document(config, src[0])
    entries = {(e.msgctxt, e.msgid): e for e in po if not e.obsolete and e.msgid}
    segs = list(doc.segments)
    missing = [s for s in segs if (None, s.msgid) not in entries]
    out = [RoundTrip("every-sentence-has-entry", not missing, f"{len(missing)} sentences have no entry, first line {missing[0].line}: {missing[0].msgid[:50]!r}" if missing else f"{len(segs)} sentences")]
    wanted = {s.msgid for s in segs}
    orphans = [e for (c, i), e in entries.items() if i not in wanted]
    out.append(RoundTrip("no-orphans", not orphans, f"{len(orphans)} entries are in no sentence, first: {orphans[0].msgid[:50]!r}" if orphans else "none"))
    # each sentence comes back from its catalogue msgid with the source's breaks
    english = doc.render(lambda s: None)
    same = english == doc.text and not missing
    out.append(RoundTrip("english-edition-identical", same, "byte-identical to the source" if same else "the English edition differs from the source"))

    def es(s):
        e = entries.get((None, s.msgid))
        return e.msgstr if e is not None and e.msgstr else None

    spanish = doc.render(es)
    a, b = _skeleton(doc.text, doc.format), _skeleton(spanish, doc.format)
    ok = a == b
    detail = "same skeleton"
    if not ok:
        d = [x for x in difflib.unified_diff(a, b, lineterm="", n=0) if x[:1] in "+-" and x[:3] not in ("---", "+++")]
        detail = "the Spanish edition's skeleton differs: " + "; ".join(d[:4])
    out.append(RoundTrip("spanish-skeleton", ok, detail))
    return out, {}
