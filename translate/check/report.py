"""Check reports: the terminal summary, the JSON report (schema of DESIGN.md) and the HTML page."""

from __future__ import annotations

import html
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..config import Config
from ..errors import TranslateError
from ..fsutil import atomic_write
from . import signals as C
from .roundtrip import RoundTrip
from .runner import EntryResult
from .signals import FAIL

VERDICTS = ("pass", "warn", "fail")
_RANK = {"fail": 0, "warn": 1, "pass": 2}


class ChecksFailed(TranslateError):
    """The check ran and some entries (or round trips) fail: exit code 1, for CI gates."""

    exit_code = 1


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


def default_html_path(config: Config, lang: str | None, file: Path | None) -> Path:
    if file is not None:
        return file.with_suffix(".check.html")
    return config.project / "reports" / f"check-{lang}.html"


def write_reports(report: Report, *, json_path: Path | None = None, html_path: Path | None = None) -> list[Path]:
    out = []
    if json_path is not None:
        atomic_write(json_path, json.dumps(report.to_dict(), ensure_ascii=False, indent=1) + "\n")
        out.append(json_path)
    if html_path is not None:
        atomic_write(html_path, render_html(report))
        out.append(html_path)
    return out
