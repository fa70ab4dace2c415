"""The check stage: round-trip validation of a Spanish catalogue, a verdict for every entry.

Three kinds of round trip:

1. structural (project catalogues only): source → catalogue → English edition is byte-identical,
   every sentence has its entry, no entry is orphaned, and the Spanish edition has the same
   skeleton (blocks, headings, list items, code, link targets) as the English one;
2. catalogue: ``msgfmt --check`` accepts the file, babel compiles it to .mo, Python's
   ``gettext`` reading that .mo returns every msgstr, and polib and babel read the same entries;
3. translation, per entry: the checks of :mod:`translate.checks`, with the es→en
   back-translation and the language identification computed in batches.

Results are written back as extracted comments (``#. check: …``, ``#. back-translation: …``);
nothing else in the catalogue changes. Reports: terminal summary, JSON, HTML.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import polib

from . import checks as C
from .checks import FAIL, WARN, Context, Finding, Message
from .errors import EngineMissingError, TranslateError, UsageError

CHECK_PREFIX = "check:"
BT_PREFIX = "back-translation:"
VERDICTS = ("pass", "warn", "fail")
_RANK = {"fail": 0, "warn": 1, "pass": 2}


class ChecksFailed(TranslateError):
    """The check ran and some entries (or round trips) fail: exit code 1, for CI gates."""

    exit_code = 1


@dataclass
class EntryResult:
    msgid: str
    msgstr: str
    msgctxt: str | None = None
    verdict: str = "pass"
    findings: list[Finding] = field(default_factory=list)
    back_translation: str | None = None
    fuzzy: bool = False
    line: int | None = None

    @property
    def failed(self) -> list[str]:
        """Names of the checks that failed (severity fail)."""
        return list(dict.fromkeys(f.check for f in self.findings if f.severity == FAIL))

    @property
    def warned(self) -> list[str]:
        return list(dict.fromkeys(f.check for f in self.findings if f.severity == WARN and f.check not in self.failed))

    def comment_lines(self) -> list[str]:
        if self.verdict == "pass":
            lines = ["check: pass"]
        else:
            names = self.failed if self.verdict == FAIL else self.warned
            lines = [f"check: {self.verdict}: {', '.join(names)}"]
        lines += [f"check: {f.check}: {_one_line(f.detail)}" for f in self.findings]
        if self.back_translation is not None:
            lines.append(f"back-translation: {_one_line(self.back_translation)}")
        return lines

    def to_dict(self) -> dict:
        return {
            "msgid": self.msgid,
            "msgctxt": self.msgctxt,
            "msgstr": self.msgstr,
            "verdict": self.verdict,
            "failed": self.failed,
            "warned": self.warned,
            "findings": [f.to_dict() for f in self.findings],
            "back_translation": self.back_translation,
            "fuzzy": self.fuzzy,
            "line": self.line,
        }


def _one_line(s: str) -> str:
    return " ".join(s.split())


# -- one entry (cheap: no engine call) -------------------------------------------------------


def check_one(
    msgid: str,
    msgstr: str,
    *,
    comment: str = "",
    flags: Sequence[str] = (),
    glossary: Sequence = (),
    back_translation: str | None = None,
    forward_translation: str | None = None,
    bt_unknown: Sequence[str] | None = None,
    language_scores: dict[str, float] | None = None,
    msgctxt: str | None = None,
) -> EntryResult:
    """Every per-entry check on one message. Without ``back_translation`` that check is skipped."""
    ctx = Context(
        comment="\n".join(_other_lines(comment)),
        flags=tuple(flags),
        glossary=tuple(glossary),
        back_translation=back_translation,
        forward_translation=forward_translation,
        bt_unknown=None if bt_unknown is None else tuple(bt_unknown),
        language_scores=language_scores,
    )
    findings = C.run_checks(Message(msgid, msgstr, msgctxt), ctx) if msgstr else []
    return EntryResult(msgid, msgstr, msgctxt, C.verdict(findings), findings, back_translation, "fuzzy" in flags)


def _other_lines(comment: str | None) -> list[str]:
    """The comment's lines that are not ours (check and back-translation lines)."""
    return [x for x in (comment or "").split("\n") if x and not x.startswith((CHECK_PREFIX, BT_PREFIX))]


def verdict_of(entry: polib.POEntry) -> str | None:
    """The verdict recorded in an entry's ``check:`` comment line, or None if never checked."""
    if not entry.comment or CHECK_PREFIX not in entry.comment:
        return None  # the common case, cheap on a 20,000-entry review page
    for line in entry.comment.splitlines():
        m = re.match(r"check: (pass|warn|fail)(?::|$)", line)
        if m:
            return m.group(1)
    return None


def write_back(entry: polib.POEntry, result: EntryResult) -> bool:
    """Replace the entry's ``check:``/``back-translation:`` lines; True if the comment changed."""
    new = "\n".join(_other_lines(entry.comment) + result.comment_lines())
    if new != (entry.comment or ""):
        entry.comment = new
        return True
    return False


# -- a whole catalogue ---------------------------------------------------------------------


def _checkable(e: polib.POEntry) -> bool:
    return not e.obsolete and bool(e.msgid) and bool(e.msgstr or any(e.msgstr_plural.values()))


def _pairs(e: polib.POEntry) -> list[tuple[str, str]]:
    """(English, Spanish) pairs of an entry; plural forms pair msgid_plural with the last form."""
    if e.msgid_plural:
        forms = [e.msgstr_plural[k] for k in sorted(e.msgstr_plural)]
        return [(e.msgid_plural, forms[-1])] if forms and forms[-1] else []
    return [(e.msgid, e.msgstr)]


@dataclass
class BackTranslator:
    engine: object | None  #: es→en
    note: str = ""
    forward: object | None = None  #: en→es, for the second (forward) chrF signal

    @property
    def name(self) -> str:
        if self.engine is None:
            return "none"
        return f"{getattr(self.engine, 'name', '?')} ({getattr(self.engine, 'version', '?')})"


def load_back_translator(engine: str | None = "auto") -> BackTranslator:
    """The es→en engine, or a note saying why back-translation is skipped."""
    if engine in (None, "none"):
        return BackTranslator(None, "back-translation skipped (--engine none)")
    from .engines.select import load_engine

    try:
        back = load_engine(engine, "es", "en")
    except EngineMissingError as e:
        return BackTranslator(None, f"back-translation skipped: no es→en engine installed ({e.message})")
    try:
        forward = load_engine(getattr(back, "name", engine), "en", "es")
    except EngineMissingError:
        forward = None
    return BackTranslator(back, "", forward)


def check_entries(
    entries: Sequence[polib.POEntry],
    *,
    back: BackTranslator | None = None,
    glossary: Sequence = (),
) -> list[tuple[polib.POEntry, EntryResult]]:
    """Run every check on the translated entries, engines and language id in batches."""
    todo = [e for e in entries if _checkable(e)]
    pairs = [(e, p) for e in todo for p in _pairs(e)]
    texts = list(dict.fromkeys(s for _e, (_i, s) in pairs))
    bt: dict[str, tuple[str, tuple[str, ...]]] = {}
    fw: dict[str, str] = {}
    if back is not None and back.engine is not None and texts:
        from concurrent.futures import ThreadPoolExecutor

        from .engines.select import translate_with_markers

        ids = list(dict.fromkeys(i for _e, (i, _s) in pairs))
        # the engines are separate processes (Apertium) or release the GIL (CTranslate2): run
        # the back and the forward translation side by side
        with ThreadPoolExecutor(max_workers=2) as pool:
            back_job = pool.submit(translate_with_markers, back.engine, texts)
            fwd_job = pool.submit(back.forward.translate_batch, ids) if back.forward is not None else None
            outs, unknown = back_job.result()
            bt = {t: (o, u) for t, o, u in zip(texts, outs, unknown)}
            if fwd_job is not None:
                fw = dict(zip(ids, fwd_job.result()))
    # only engines that mark unknown words (Apertium) tell which words are not Spanish
    marks = bool(bt) and hasattr(back.engine, "translate_batch_with_markers")
    lid_in = [C.language_text(Message(i, s), e.flags) for e, (i, s) in pairs]
    distinct = list(dict.fromkeys(t for t in lid_in if sum(c.isalpha() for c in t) >= C.LANG_MIN_LETTERS))
    scores = dict(zip(distinct, C.language_scores(distinct))) if distinct else {}
    results: dict[int, EntryResult] = {}
    for (e, (msgid, msgstr)), lt in zip(pairs, lid_in):
        b = bt.get(msgstr)
        r = check_one(
            msgid,
            msgstr,
            comment=e.comment or "",
            flags=e.flags,
            glossary=glossary,
            back_translation=b[0] if b else None,
            forward_translation=fw.get(msgid),
            bt_unknown=(b[1] if b else None) if marks else None,
            language_scores=scores.get(lt, {}) if lt in scores else None,
            msgctxt=e.msgctxt,
        )
        prev = results.get(id(e))
        if prev is not None:
            prev.findings += r.findings
            prev.verdict = C.verdict(prev.findings)
        else:
            r.msgid, r.msgstr, r.line = e.msgid, e.msgstr or r.msgstr, e.linenum
            results[id(e)] = r
    return [(e, results[id(e)]) for e in todo if id(e) in results]


# -- catalogue round trip ------------------------------------------------------------------


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
    import gettext
    import io

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po as babel_read_po

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
        from markdown_it import MarkdownIt

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


def structural_round_trip(config, lang: str, domain: str, po: polib.POFile) -> tuple[list[RoundTrip], dict]:
    """Source ↔ catalogue ↔ editions for one domain; returns the round trips and entry notes."""
    from .project import load_document, source_files

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
        import difflib

        d = [x for x in difflib.unified_diff(a, b, lineterm="", n=0) if x[:1] in "+-" and x[:3] not in ("---", "+++")]
        detail = "the Spanish edition's skeleton differs: " + "; ".join(d[:4])
    out.append(RoundTrip("spanish-skeleton", ok, detail))
    return out, {}


# -- reports ---------------------------------------------------------------------------------


@dataclass
class CatalogueReport:
    path: Path
    shown: str
    results: list[EntryResult] = field(default_factory=list)
    round_trips: list[RoundTrip] = field(default_factory=list)
    untranslated: int = 0
    written: bool = False


@dataclass
class Report:
    catalogues: list[CatalogueReport] = field(default_factory=list)
    engine: str = "none"
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def results(self) -> list[EntryResult]:
        return [r for c in self.catalogues for r in c.results]

    def counts(self) -> dict[str, int]:
        c = Counter(r.verdict for r in self.results)
        return {v: c.get(v, 0) for v in VERDICTS}

    def per_check(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {name: {"fail": 0, "warn": 0} for name in C.REGISTRY}
        for r in self.results:
            for name in r.failed:
                out.setdefault(name, {"fail": 0, "warn": 0})["fail"] += 1
            for name in r.warned:
                out.setdefault(name, {"fail": 0, "warn": 0})["warn"] += 1
        return out

    @property
    def round_trips_failed(self) -> list[tuple[str, RoundTrip]]:
        return [(c.shown, rt) for c in self.catalogues for rt in c.round_trips if not rt.ok]

    def exit_code(self, fail_on: str = "fail") -> int:
        counts = self.counts()
        if counts["fail"] or self.round_trips_failed:
            return 1
        if fail_on == "warn" and counts["warn"]:
            return 1
        return 0

    def worst(self, n: int | None = None) -> list[tuple[str, EntryResult]]:
        rows = [(c.shown, r) for c in self.catalogues for r in c.results if r.verdict != "pass"]
        rows.sort(key=lambda x: (_RANK[x[1].verdict], -sum(f.severity == FAIL for f in x[1].findings), -len(x[1].findings)))
        return rows if n is None else rows[:n]

    def to_dict(self) -> dict:
        return {
            "summary": {
                "entries": len(self.results),
                "verdicts": self.counts(),
                "checks": self.per_check(),
                "untranslated": sum(c.untranslated for c in self.catalogues),
                "engine": self.engine,
                "notes": self.notes,
                "seconds": round(self.seconds, 2),
                "catalogues": [
                    {"path": c.shown, "entries": len(c.results), "round_trips": [rt.to_dict() for rt in c.round_trips]}
                    for c in self.catalogues
                ],
            },
            "entries": [dict(r.to_dict(), catalogue=c.shown) for c in self.catalogues for r in c.results],
        }


def render_text(report: Report, limit: int = 20) -> str:
    counts = report.counts()
    lines = [f"{len(report.results)} entries checked: {counts['pass']} pass, {counts['warn']} warn, {counts['fail']} fail"
             + (f" ({sum(c.untranslated for c in report.catalogues)} untranslated not checked)" if any(c.untranslated for c in report.catalogues) else "")]
    lines.append(f"back-translation: {report.engine}")
    lines += [f"note: {n}" for n in report.notes]
    for c in report.catalogues:
        for rt in c.round_trips:
            lines.append(f"{c.shown}: {'ok  ' if rt.ok else 'FAIL'} {rt.check}: {rt.detail}")
    per = {k: v for k, v in report.per_check().items() if v["fail"] or v["warn"]}
    if per:
        lines.append("checks: " + ", ".join(f"{k} {v['fail']} fail/{v['warn']} warn" for k, v in sorted(per.items(), key=lambda kv: (-kv[1]["fail"], -kv[1]["warn"]))))
    worst = report.worst()
    for shown, r in worst[:limit]:
        where = f"{shown}:{r.line}" if r.line else shown
        lines.append(f"{r.verdict.upper()} {where} {r.msgid[:60]!r}")
        for f in r.findings:
            lines.append(f"    {f.severity} {f.check}: {f.detail}")
    if len(worst) > limit:
        lines.append(f"… and {len(worst) - limit} more (see the report)")
    return "\n".join(lines)


def render_html(report: Report) -> str:
    e = html.escape
    counts = report.counts()
    rows = []
    for shown, r in report.worst() + [(c.shown, r) for c in report.catalogues for r in c.results if r.verdict == "pass"]:
        det = "<br>".join(f"<b>{e(f.check)}</b> ({e(f.severity)}): {e(f.detail)}" for f in r.findings)
        rows.append(
            f'<tr class="{r.verdict}"><td>{e(r.verdict)}</td><td>{e(shown)}{":" + str(r.line) if r.line else ""}</td>'
            f"<td>{e(r.msgid)}</td><td>{e(r.msgstr)}</td><td>{e(r.back_translation or '')}</td><td>{det}</td></tr>"
        )
    rts = "".join(
        f"<li class=\"{'pass' if rt.ok else 'fail'}\">{e(c.shown)}: {e(rt.check)} — {e(rt.detail)}</li>"
        for c in report.catalogues for rt in c.round_trips
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>translate check</title>
<style>body{{font-family:sans-serif;margin:1em}}table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:3px;vertical-align:top}}
tr.fail td:first-child,li.fail{{color:#b00}}tr.warn td:first-child{{color:#a60}}tr.pass td:first-child,li.pass{{color:#070}}</style></head>
<body><h1>Check report</h1>
<p>{len(report.results)} entries: {counts['pass']} pass, {counts['warn']} warn, {counts['fail']} fail. Back-translation: {e(report.engine)}.</p>
{''.join(f'<p>{e(n)}</p>' for n in report.notes)}
<h2>Round trips</h2><ul>{rts}</ul>
<h2>Entries (worst first)</h2>
<table><tr><th>verdict</th><th>where</th><th>English</th><th>Spanish</th><th>back-translation</th><th>findings</th></tr>
{''.join(rows)}
</table></body></html>
"""


# -- the stage with I/O ----------------------------------------------------------------------


def check_catalogue_file(
    path: Path,
    *,
    shown: str | None = None,
    back: BackTranslator | None = None,
    glossary: Sequence = (),
    write: bool = True,
    config=None,
    lang: str | None = None,
) -> CatalogueReport:
    """Check one .po file (any, not only ours) and write the verdicts back unless ``write`` is False."""
    from .pofile import read_po, write_po

    shown = shown or str(path)
    if not path.exists():
        raise UsageError("no such catalogue", path=shown)
    if path.suffix not in (".po", ".pot"):
        raise UsageError("not a .po file", path=shown)
    po = read_po(path, display=shown)
    rep = CatalogueReport(path, shown)
    rep.untranslated = sum(1 for e in po if not e.obsolete and e.msgid and not _checkable(e))
    pairs = check_entries(list(po), back=back, glossary=glossary)
    rep.results = [r for _e, r in pairs]
    if config is not None:
        rts, _ = structural_round_trip(config, lang or "es", path.stem, po)
        rep.round_trips += rts
    if write:
        changed = [write_back(e, r) for e, r in pairs]
        if any(changed):
            write_po(path, po)
            rep.written = True
    rep.round_trips += catalogue_round_trip(path, po)
    return rep


def check_file(path: Path, *, engine: str | None = "auto", write: bool = True, glossary: Sequence = ()) -> Report:
    import time

    t = time.perf_counter()
    back = load_back_translator(engine)
    report = Report(engine=back.name, notes=[back.note] if back.note else [])
    report.catalogues.append(check_catalogue_file(path, back=back, write=write, glossary=glossary))
    report.seconds = time.perf_counter() - t
    return report


def check_project(config, lang: str, *, engine: str | None = "auto", write: bool = True, domains: Sequence[str] = ()) -> Report:
    import time

    from .catalogue import parse_locale
    from .fsutil import project_lock
    from .project import catalogues, load_glossary

    parse_locale(lang)
    t = time.perf_counter()
    paths = catalogues(config, lang, domains)
    glossary = load_glossary(config)
    back = load_back_translator(engine)
    report = Report(engine=back.name, notes=[back.note] if back.note else [])
    with project_lock(config.locales_dir, "the catalogues"):
        for p in paths:
            report.catalogues.append(
                check_catalogue_file(p, shown=config.show(p), back=back, glossary=glossary, write=write, config=config, lang=lang)
            )
    report.seconds = time.perf_counter() - t
    return report


def write_reports(report: Report, *, json_path: Path | None = None, html_path: Path | None = None) -> list[Path]:
    from .fsutil import atomic_write

    out = []
    if json_path is not None:
        atomic_write(json_path, json.dumps(report.to_dict(), ensure_ascii=False, indent=1) + "\n")
        out.append(json_path)
    if html_path is not None:
        atomic_write(html_path, render_html(report))
        out.append(html_path)
    return out


# -- for `translate build --strict` ----------------------------------------------------------


def failing_entries(po: polib.POFile, *, glossary: Sequence = ()) -> list[tuple[polib.POEntry, EntryResult]]:
    """Translated entries that fail: the cheap checks now, or a recorded back-translation failure.

    ``translate build --lang es --strict`` refuses to build while this is not empty; without
    ``--strict`` the build lists them.
    """
    out = []
    for e in po:
        if not _checkable(e):
            continue
        i, s = (_pairs(e) or [(e.msgid, e.msgstr)])[0]
        r = check_one(i, s, comment=e.comment or "", flags=e.flags, glossary=glossary, msgctxt=e.msgctxt)
        recorded = [x for x in (e.comment or "").splitlines() if x.startswith("check: back-translation:")]
        if verdict_of(e) == FAIL and recorded and "back-translation" not in r.failed:
            r.findings.append(Finding("back-translation", FAIL, recorded[0].split(":", 2)[2].strip()))
            r.verdict = FAIL
        if r.verdict == FAIL:
            r.line = e.linenum
            out.append((e, r))
    return out


def default_html_path(config, lang: str | None, file: Path | None) -> Path:
    if file is not None:
        return file.with_suffix(".check.html")
    return config.project / "reports" / f"check-{lang}.html"

