"""Check reports: the terminal summary, the JSON report (schema of DESIGN.md) and the HTML page.

The HTML page comes from the Jinja2 template ``check/templates/report.html`` (autoescaping on);
its stylesheet and filter script are the ``report.css`` and ``report.js`` files next to it,
inlined so that the report is one standalone file.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from ..config import Config
from .. import pages
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
        rows.sort(key=lambda x: (_RANK[x[1].verdict], _score_key(x[1]), -sum(f.severity == FAIL for f in x[1].findings), -len(x[1].findings)))
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


def _score_key(r: EntryResult) -> int:
    """Lower scores first; an entry without a score after every scored one."""
    return r.score if r.score is not None else 101


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
        lines.append(f"{r.verdict.upper()} {where} {r.msgid[:60]!r}" + (f" (score {r.score})" if r.score is not None else ""))
        for f in r.findings:
            lines.append(f"    {f.severity} {f.check}: {f.detail}")
    if len(worst) > limit:
        lines.append(f"… and {len(worst) - limit} more (see the report)")
    return "\n".join(lines)


def _templates():
    return pages.templates("check/templates")


def review_href(port: int, shown: str, line: int | None) -> str:
    """An entry in ``translate review``: ``http://127.0.0.1:PORT/#entry=<shown path, URL-encoded>:<line>``."""
    return f"http://127.0.0.1:{port}/#entry={quote(shown, safe='')}:{line or 0}"


def _href(path: Path, html_path: Path | None) -> str:
    """The catalogue, relative to the report (a relative link keeps working when both move)."""
    if html_path is None:
        return Path(path).as_posix()
    return Path(os.path.relpath(Path(path).resolve(), Path(html_path).resolve().parent)).as_posix()


def render_html(report: Report, *, html_path: Path | None = None, review_port: int | None = None) -> str:
    """The report a translator reads (``reports/check-<lang>.html``): summary first, then the
    entries worst first, each linking to its catalogue line (and into the review page when
    ``review_port`` is known). A standalone page: its style and filter script are inlined."""
    counts = report.counts()
    hrefs = {c.shown: _href(c.path, html_path) for c in report.catalogues}
    entries = []
    passed = sorted(((c.shown, r) for c in report.catalogues for r in c.results if r.verdict == "pass"), key=lambda x: _score_key(x[1]))
    rows = report.worst() + passed
    for shown, r in rows:
        entries.append(
            {
                "verdict": r.verdict,
                "where": f"{shown}:{r.line}" if r.line else shown,
                "href": hrefs[shown],
                "review": review_href(review_port, shown, r.line) if review_port else None,
                "msgctxt": r.msgctxt,
                "msgid": r.msgid,
                "msgstr": r.msgstr,
                "back": r.back_translation,
                "fuzzy": r.fuzzy,
                "score": r.score,
                "round_trip": r.round_trip,
                "findings": [f for f in r.findings if f.severity == FAIL] + [f for f in r.findings if f.severity != FAIL],
            }
        )
    round_trips = [(c.shown, rt) for c in report.catalogues for rt in c.round_trips]
    per_check = sorted(
        ((k, v) for k, v in report.per_check().items() if v["fail"] or v["warn"]),
        key=lambda kv: (-kv[1]["fail"], -kv[1]["warn"], kv[0]),
    )
    return _templates().get_template("report.html").render(
        counts=counts,
        total=len(report.results),
        untranslated=sum(c.untranslated for c in report.catalogues),
        engine=report.engine,
        notes=report.notes,
        catalogues=[(c.shown, hrefs[c.shown], len(c.results)) for c in report.catalogues],
        round_trips=round_trips,
        round_trips_failed=[(shown, rt) for shown, rt in round_trips if not rt.ok],
        per_check=per_check,
        entries=entries,
        review_port=review_port,
    )


def default_html_path(config: Config, lang: str | None, file: Path | None) -> Path:
    if file is not None:
        return file.with_suffix(".check.html")
    return config.project / "reports" / f"check-{lang}.html"


def write_reports(
    report: Report, *, json_path: Path | None = None, html_path: Path | None = None, review_port: int | None = None
) -> list[Path]:
    out = []
    if json_path is not None:
        atomic_write(json_path, json.dumps(report.to_dict(), ensure_ascii=False, indent=1) + "\n")
        out.append(json_path)
    if html_path is not None:
        atomic_write(html_path, render_html(report, html_path=html_path, review_port=review_port))
        out.append(html_path)
    return out
