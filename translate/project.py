"""The order of the stages: ``translate run`` as data, one result per step.

Each stage module does its own file I/O; this module only calls them in order and times
them. The CLI prints the results.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Callable

from .check import report as check_report
from .check import stage as check_stage
from .config import Config
from .mt import stage as mt_stage
from .po import stage as po_stage
from .publish import stage as publish_stage
from .segment import stage as segment_stage
from .tm.memory import DEFAULT_THRESHOLD


@dataclass
class Step:
    name: str  #: the command that does this step alone, e.g. "update --lang es"
    result: Any
    seconds: float


@dataclass
class RunResult:
    lang: str
    steps: list[Step] = field(default_factory=list)
    report: check_report.Report | None = None
    reports: list = field(default_factory=list)  #: paths of the check reports written

    def step(self, name: str) -> Step:
        return next(s for s in self.steps if s.name == name)


def run(
    config: Config,
    lang: str = "es",
    *,
    engine: str = "auto",
    tm_threshold: float = DEFAULT_THRESHOLD,
    quotes: str = "keep",
    progress: Callable[[str], Callable | None] = lambda label: None,
) -> RunResult:
    """segment → update (lang, en) → mt → check → build en → build lang.

    ``tm_threshold`` and ``quotes`` are passed to the mt step (see
    :func:`translate.mt.stage.machine_translate`). ``progress(label)`` gives the progress callback for a long step (or None). The check
    reports are written to ``reports/check-<lang>.json|html``; failing entries do not stop
    the run (the editions fall back to English for them).
    """
    out = RunResult(lang)

    def timed(name: str, fn, *args, **kwargs):
        t = time.perf_counter()
        res = fn(*args, **kwargs)
        out.steps.append(Step(name, res, time.perf_counter() - t))
        return res

    timed("segment", segment_stage.segment, config)
    timed(f"update --lang {lang}", po_stage.update, config, lang)
    timed("update --lang en", po_stage.update, config, "en")
    timed(f"mt --lang {lang}", mt_stage.machine_translate, config, lang, engine=engine,
          tm_threshold=tm_threshold, quotes=quotes, progress=progress("mt"))
    report = timed(
        f"check --lang {lang}",
        check_stage.check_project,
        config,
        lang,
        engine=engine,
        progress=progress("check"),
        cache=True,
    )
    out.report = report
    out.reports = check_report.write_reports(
        report,
        json_path=config.project / "reports" / f"check-{lang}.json",
        html_path=check_report.default_html_path(config, lang, None),
    )
    timed("build --lang en", publish_stage.build, config, "en")
    timed(f"build --lang {lang}", publish_stage.build, config, lang)
    return out
