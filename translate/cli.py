"""The ``translate`` command line: parse, call one library function, print.

Errors from the library (:class:`TranslateError`) become one line on stderr and exit code 2,
here and nowhere else.
"""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path

import click

from .config import catalogues
from .errors import TranslateError, UsageError
from .cliapp import _config, _lang, _next, _progress, _say, cli, ui
from .lazy import lazy_module
from .text import plural

# The stage modules, loaded on first use so that `translate --help` and `translate stats`
# start fast (see lazy.py); every dependency of the command line is named here.
check_report = lazy_module("translate.check.report")
check_stage = lazy_module("translate.check.stage")
mt_stage = lazy_module("translate.mt.stage")
cluster_ray = lazy_module("translate.cluster.ray")
engines_select = lazy_module("translate.mt.engines.select")
argos = lazy_module("translate.mt.engines.argos")
glossary_mod = lazy_module("translate.mt.glossary")
po_stage = lazy_module("translate.po.stage")
publish_stage = lazy_module("translate.publish.stage")
review_app = lazy_module("translate.review.app")
segment_stage = lazy_module("translate.segment.stage")
tm_stage = lazy_module("translate.tm.stage")
project_mod = lazy_module("translate.project")

LANG_HELP = "Language of the catalogues: es (the translation) or en (the English edition)."
STATES = ("translated", "fuzzy", "untranslated", "obsolete")  # the columns of `stats`
BUILD_FORMATS = ("source", "html", "bilingual")


# -- commands ------------------------------------------------------------------------------------


@cli.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.pass_context
def segment(ctx: click.Context, files: tuple[Path, ...]) -> None:
    """Split source documents into sentences: source/*.txt|md → locales/<domain>.pot.

    \b
    The domain is the file name without extension. With no FILES, every .txt and .md
    document in source/ is segmented. Unchanged templates are left as they are.

    \b
    Example:
      translate segment
      translate segment source/press-release.md
    """
    cfg = _config(ctx)
    results = segment_stage.segment(cfg, files)
    for r in results:
        state = "written" if r.written else "unchanged"
        _say(
            ctx,
            f"{cfg.show(r.path)}: {plural(r.entries, 'entry', 'entries')} ({plural(r.segments, 'sentence')}, "
            f"{plural(r.words, 'word')}), {state}",
        )
    _next(ctx, "translate update --lang es")


@cli.command()
@click.option("--lang", required=True, callback=_lang, help=LANG_HELP)
@click.pass_context
def update(ctx: click.Context, lang: str) -> None:
    """Create or merge locales/<lang>/LC_MESSAGES/<domain>.po from the templates.

    \b
    msgmerge semantics: translations are kept; an entry whose English changed a little
    becomes fuzzy with its old translation and the old msgid (#| msgid); entries no
    longer in the source become obsolete (#~), never dropped.

    \b
    Example:
      translate update --lang es
    """
    cfg = _config(ctx)
    for r in po_stage.update(cfg, lang):
        rep = r.report
        what = "created" if r.created else ("updated" if r.written else "unchanged")
        _say(
            ctx,
            f"{cfg.show(r.path)}: {what}; {rep.kept:,} kept, {rep.fuzzy:,} fuzzy, {rep.new:,} new, "
            f"{rep.obsoleted:,} obsolete, {rep.revived:,} revived",
        )
    _next(ctx, f"translate mt --lang {lang}" if lang != "en" else "translate build --lang en")


@cli.command()
@click.option("--lang", required=True, callback=_lang, help="Edition language: en (rebuilt from the catalogue, equals the source) or es.")
@click.option(
    "--format",
    "formats",
    multiple=True,
    type=click.Choice(list(BUILD_FORMATS)),
    help="Which editions (repeatable; default: all). source: the document in its own format; "
    "html: a standalone page; bilingual: editions/en-<lang>/<doc>.html, side by side.",
)
@click.option(
    "--fallback",
    type=click.Choice(["english", "mark", "fail"]),
    default="english",
    show_default=True,
    help="Untranslated and failing sentences: keep the English, keep it marked [EN], or refuse to build (exit 1).",
)
@click.option("--strict", is_flag=True, help="Refuse to build (exit 1) while entries fail their checks.")
@click.option(
    "--review-port",
    type=click.IntRange(1, 65535),
    default=None,
    help="Link each sentence of the bilingual edition into `translate review --port N` instead of the catalogue file.",
)
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.pass_context
def build(
    ctx: click.Context, lang: str, files: tuple[Path, ...], formats=(), fallback="english", strict=False, review_port=None
) -> None:
    """Rebuild documents from the catalogues into editions/<lang>/ (source format and HTML).

    \b
    --lang en rebuilds each document from its template; the result equals the source
    byte for byte. --lang es replaces each sentence with its Spanish translation, exactly
    as written; untranslated sentences, and sentences whose check failed (unless a
    reviewer approved them), follow --fallback. Also writes editions/<lang>/<doc>.html
    and the bilingual editions/en-es/<doc>.html. Same catalogues, same bytes.

    \b
    Example:
      translate build --lang en && cmp source/x.md editions/en/x.md
      translate build --lang es --fallback mark
      translate build --lang es --strict --format source
      translate build --lang es --review-port 8765
    """
    cfg = _config(ctx)
    results = publish_stage.build(
        cfg, lang, files, formats=formats or BUILD_FORMATS, fallback=fallback, strict=strict, review_port=review_port
    )
    for r in results:
        c = r.counts
        if lang == "en":
            detail = f"{plural(r.segments, 'sentence')} from the catalogue"
        else:
            left = "marked [EN]" if fallback == "mark" else "in English"
            detail = (
                f"{c['translated']} translated, {c['fuzzy']} machine/fuzzy, "
                f"{c['untranslated'] + c['missing']} left in English"
                + (" (marked [EN])" if fallback == "mark" and c["untranslated"] + c["missing"] else "")
                + (f", {c['failing']} failing ({left})" if c.get("failing") else "")
            )
        _say(ctx, f"{cfg.show(r.output)}: {detail}")
        for extra in r.outputs:
            if extra != r.output:
                _say(ctx, f"  {cfg.show(extra)}")
        for msgid, where, line in r.failing:
            short = msgid if len(msgid) <= 70 else msgid[:67] + "..."
            _say(ctx, f"  failing: {where}:{line}: {short}")
    if lang != "en":
        _next(ctx, f"translate review --lang {lang}")


@cli.command()
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--lang", default=None, callback=_lang, help="Review every catalogue of this language in the project (default: es).")
@click.option("--port", type=click.IntRange(0, 65535), default=0, help="Port on 127.0.0.1 (default: a free one).")
@click.option("--no-open", is_flag=True, help="Do not open a browser; just print the address.")
@click.option("--reviewer", default=None, help="Name recorded when approving (default: git's user.name, else $USER).")
@click.pass_context
def review(ctx: click.Context, file: Path | None, lang: str | None, port: int, no_open: bool, reviewer: str | None) -> None:
    """Review a catalogue in a local web page (127.0.0.1 only).

    \b
    Filter entries (failing, warning, fuzzy/machine, untranslated, reviewed, search),
    read source, Spanish, back-translation, check findings and the source paragraph;
    edit, approve (clears fuzzy and records the reviewer) or reject; keyboard-only
    (j/k, e, a, X, /). Saves atomically, keeping every comment, flag and obsolete entry;
    a file changed on disk meanwhile is never overwritten. Works on any .po file.
    Open the printed address once: it carries this session's key, which saving needs.

    \b
    Example:
      translate review --lang es
      translate review /tmp/grep.po --port 8765 --no-open
    """
    cfg = _config(ctx)
    if file is not None and lang is not None:
        raise UsageError("give a FILE.po or --lang, not both")
    if file is not None:
        paths = [file]
        root = cfg.project if file.resolve().is_relative_to(cfg.project.resolve()) else None
        glossary = glossary_mod.load_glossary(cfg) if root is not None else []
    else:
        paths = catalogues(cfg, lang or "es")
        root = cfg.project
        glossary = glossary_mod.load_glossary(cfg)
    app = review_app.create_app(paths, project=root, reviewer=reviewer, glossary=glossary)
    try:
        server = review_app.make_server(app, port)
    except OSError as e:
        raise UsageError(f"cannot listen on 127.0.0.1:{port}: {e.strerror}") from None
    url = review_app.page_url(server.server_port, app.token)  # carries the session token (#token=…)
    click.echo(f"Reviewing {', '.join(c.name for c in app.catalogues)} at {url}  (Ctrl+C to stop)")
    if not no_open:
        review_app.open_browser(url)
    server.serve_forever()


@cli.command()
@click.option("--lang", default=None, callback=_lang, help="Only this language's catalogues (default: templates and every language).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.pass_context
def stats(ctx: click.Context, lang: str | None, as_json: bool) -> None:
    """Entries and words per state (translated, fuzzy, untranslated, obsolete).

    \b
    Example:
      translate stats --lang es
    """
    cfg = _config(ctx)
    rows = [r for r in po_stage.stats(cfg, lang) if lang is None or r.lang == lang]
    if as_json:
        click.echo(
            json.dumps(
                [
                    {"lang": r.lang, "domain": r.domain, "path": cfg.show(r.path), "entries": r.stats.entries, "words": r.stats.words}
                    for r in rows
                ],
                indent=2,
            )
        )
        return
    header = ["catalogue", "lang"] + list(STATES)
    table = [[cfg.show(r.path), r.lang] + [f"{r.stats.entries[s]} ({r.stats.words[s]} w)" for s in STATES] for r in rows]
    widths = [max(len(row[i]) for row in [header] + table) for i in range(len(header))]
    click.echo("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(header)).rstrip())
    click.echo("  ".join("-" * w for w in widths))
    for row in table:
        click.echo("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())


def _executor(name: str, address: str | None, jobs: int | None):
    """None for the local pipelines, else a factory the stage calls with the engine to load."""
    if name == "local":
        if address:
            raise UsageError("--address is for --executor ray")
        return None
    return functools.partial(cluster_ray.RayExecutor, address=address, workers=jobs)


@cli.command()
@click.option("--lang", default="es", show_default=True, callback=_lang, help=LANG_HELP)
@click.option(
    "--engine",
    type=click.Choice(["auto", "argos", "apertium"]),
    default="auto",
    show_default=True,
    help="auto: Argos when an en→LANG package is installed, else Apertium.",
)
@click.option("--domain", "domains", multiple=True, help="Only this catalogue (repeatable).")
@click.option("--retranslate", type=click.Choice(["machine"]), default=None, help="Also redo machine-made, unreviewed entries.")
@click.option("--beam-size", type=click.IntRange(1, 16), default=2, show_default=True, help="Argos: beam size.")
@click.option("--threads", type=click.IntRange(0, 256), default=0, show_default=True, help="Argos: CPU threads (0: all cores).")
@click.option("--compute-type", default="int8", show_default=True, help="Argos: CTranslate2 compute type.")
@click.option("--batch-size", type=click.IntRange(1, 100000), default=None,
              help="Also save the catalogues every N finished entries (default: every 10 s, less often when a save is slow).")
@click.option("--jobs", type=click.IntRange(1, 256), default=None, help="Engine pipelines run side by side (default: one per core, at most 8).")
@click.option("--executor", type=click.Choice(["local", "ray"]), default="local", show_default=True,
              help="Where the engine runs: here, or on a Ray cluster (pip install 'translate-docs[cluster]').")
@click.option("--address", default=None, help="Ray: the cluster to join (e.g. 10.0.0.5:6379; default: RAY_ADDRESS, else a local one).")
@click.option("--tm-threshold", type=click.IntRange(1, 100), default=75, show_default=True, help="Similarity (%) a memory near match needs (100: exact only).")
@click.option("--quotes", type=click.Choice(["keep", "curly", "angle"]), default="keep", show_default=True,
              help="House style of quotation marks in translations: keep the engine's, curly “ ” or angle « ».")
@click.pass_context
def mt(ctx, lang, engine, domains, retranslate, beam_size, threads, compute_type, batch_size, jobs, executor, address, tm_threshold, quotes):
    """Fill untranslated entries offline with Argos or Apertium.

    \b
    Every machine translation is marked fuzzy and gets a comment naming the engine, its
    version and the date. Entries a person translated or approved are never changed.
    Sentences stream through the engine while finished ones are applied, and the
    catalogues are saved as the run goes: an interrupted run keeps what it finished and
    the next run continues. A second run on unchanged sources calls no engine.
    The memory (`translate tm`) comes first: a near match is fuzzy, with `#. tm: 86% <English>`.

    \b
    Example:
      translate mt --lang es
      translate mt --lang es --engine apertium --retranslate machine --tm-threshold 90
      translate mt --lang es --quotes angle
      translate mt --lang es --executor ray --address 10.0.0.5:6379 --jobs 8
    """
    cfg = _config(ctx)
    if lang == "en":
        raise UsageError("--lang en is the English edition: there is nothing to translate (use --lang es)")
    with _progress(ctx, "mt") as bar:
        r = mt_stage.machine_translate(
            cfg,
            lang,
            engine=engine,
            domains=domains,
            retranslate=retranslate,
            engine_options={"beam_size": beam_size, "intra_threads": threads, "compute_type": compute_type},
            batch_size=batch_size,
            jobs=jobs,
            executor=_executor(executor, address, jobs),
            progress=bar,
            tm_threshold=tm_threshold,
            quotes=quotes,
        )
    if r.engine:
        rate = r.words / r.seconds if r.seconds else 0
        _say(ctx, f"engine: {r.engine} ({r.engine_version})")
        _say(
            ctx,
            f"{plural(r.translated, 'sentence')} machine-translated into {plural(r.entries - r.from_memory, 'entry', 'entries')} "
            f"({plural(r.words, 'word')}, {rate:,.0f} words/s, {plural(r.engine_calls, 'engine batch', 'engine batches')})",
        )
    if r.from_memory:
        _say(ctx, f"{plural(r.from_memory, 'sentence')} reused from reviewed translations (translation memory: {r.near_memory:,} near)")
    if not r.engine and not r.from_memory:
        _say(ctx, "nothing to translate: every entry already has a translation")
    if r.flagged:
        _say(ctx, f"{plural(r.flagged, 'translation')} flagged: a protected token (URL, code, placeholder, glossary term) did not survive")
    if r.unknown_words:
        _say(ctx, f"{plural(r.unknown_words, 'word')} unknown to the engine (noted in the catalogue for `translate check`)")
    for p in r.catalogues:
        _say(ctx, f"{cfg.show(p)}")
    _next(ctx, f"translate check --lang {lang}")


@cli.group("tm")
def tm_group():
    """Translation memory: import and export TMX 1.4b files (OmegaT, Trados, Weblate).

    `translate mt` reuses the settled human entries of every catalogue and the units imported
    here (kept in locales/.tm/LANG.tmx). Example: translate tm export --lang es memory.tmx
    """


@tm_group.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--lang", default="es", show_default=True, callback=_lang, help="Take the English → LANG units of FILE.")
@click.pass_context
def tm_import(ctx: click.Context, file: Path, lang: str) -> None:
    """Add the English → LANG units of a TMX file to the memory. A bad file: exit 2, nothing written."""
    _say(ctx, tm_stage.import_tmx(_config(ctx), file, lang).summary)


@tm_group.command("export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--lang", required=True, callback=_lang, help="The language of the translations (es).")
@click.pass_context
def tm_export(ctx: click.Context, file: Path, lang: str) -> None:
    """Write the memory to FILE (TMX 1.4b). It holds what `mt` reuses: human entries, then imported units."""
    _say(ctx, tm_stage.export_tmx(_config(ctx), lang, file).summary)


@cli.group(invoke_without_command=True)
@click.pass_context
def engines(ctx):
    """List installed engines and language pairs; `engines install` adds an Argos package.

    \b
    Example:
      translate engines
      translate engines install argos en es --file translate-en_es.argosmodel
    """
    if ctx.invoked_subcommand is not None:
        return
    pairs = engines_select.installed()
    hints = engines_select.INSTALL_HINTS
    for name in ("argos", "apertium"):
        mine = [p for p in pairs if p.engine == name]
        if mine:
            for p in mine:
                click.echo(f"{name:9} {p.source} → {p.target}   {p.detail}")
        else:
            click.echo(f"{name:9} not installed   install: {hints[name]}")
    for src, tgt in (("en", "es"), ("es", "en")):
        if not any((p.source, p.target) == (src, tgt) for p in pairs):
            click.echo(f"missing direction {src} → {tgt}: {hints['apertium']}")


@engines.command("install")
@click.argument("engine", type=click.Choice(["argos"]))
@click.argument("source")
@click.argument("target")
@click.option("--file", "file", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Install from this .argosmodel file instead of the package index.")
def engines_install(engine, source, target, file):
    """Install an Argos package for SOURCE→TARGET (from the index, or --file).

    \b
    Example:
      translate engines install argos en es
      translate engines install argos es en --file translate-es_en.argosmodel
    """
    if file is not None:
        click.echo(f"installed {argos.install_from_file(file)}")
    else:
        click.echo(f"installed {argos.install_from_index(source, target)}")


@cli.command()
@click.option("--lang", default="es", show_default=True, callback=_lang, help=LANG_HELP)
@click.option("--engine", type=click.Choice(["auto", "argos", "apertium"]), default="auto", show_default=True, help="MT engine.")
@click.option("--tm-threshold", type=click.IntRange(1, 100), default=75, show_default=True, help="Similarity (%) a memory near match needs (100: exact only), as in `translate mt`.")
@click.option("--quotes", type=click.Choice(["keep", "curly", "angle"]), default="keep", show_default=True,
              help="Quotation marks of the machine Spanish, as in `translate mt`.")
@click.pass_context
def run(ctx: click.Context, lang: str, engine: str, tm_threshold: int, quotes: str) -> None:
    """The main job on source/: segment, update, machine-translate, check, build the editions.

    \b
    Prints one table of the steps, then where the editions, the catalogues and the check
    report are. Exit code 1 when some entries fail their checks (the editions are still
    built, failing sentences fall back to English).

    \b
    Example:
      translate run
      translate run --engine apertium
      translate run --quotes angle --tm-threshold 90
    """
    cfg = _config(ctx)
    if lang == "en":
        raise UsageError("--lang en is the English edition, built by every run: give the translation's language (es)")
    res = project_mod.run(
        cfg, lang, engine=engine, tm_threshold=tm_threshold, quotes=quotes,
        progress=lambda label: _progress(ctx, label),
    )
    summaries = {
        "segment": ui.segment_summary,
        f"update --lang {lang}": ui.update_summary,
        "update --lang en": ui.update_summary,
        f"mt --lang {lang}": ui.mt_summary,
        f"check --lang {lang}": ui.check_summary,
        "build --lang en": ui.english_build_summary,
        f"build --lang {lang}": ui.build_summary,
    }
    rows = [(s.name, summaries[s.name](s.result), f"{s.seconds:.1f} s") for s in res.steps]
    _say(ctx, ui.render_table(["step", "result", "time"], rows))
    ed = cfg.show(cfg.editions_dir)
    _say(ctx, f"Editions: {ed}/en/, {ed}/{lang}/ and {ed}/en-{lang}/")
    _say(ctx, f"Catalogues: {cfg.show(cfg.locales_dir)}/{lang}/LC_MESSAGES/")
    _say(ctx, f"Check report: {cfg.show(cfg.project / 'reports')}/check-{lang}.html (JSON: check-{lang}.json)")
    _next(ctx, f"translate review --lang {lang}")
    report = res.report
    if report is not None and report.exit_code("fail"):
        counts = report.counts()
        what = f"{plural(counts['fail'], 'entry fails', 'entries fail')}"
        if report.round_trips_failed:
            what += f", {plural(len(report.round_trips_failed), 'round trip fails', 'round trips fail')}"
        raise check_report.ChecksFailed(what + " (see the report)")


@cli.command("check")
@click.argument("file", required=False, type=click.Path(path_type=Path))
@click.option("--lang", callback=_lang, help="Check the project's catalogues of this language (e.g. es).")
@click.option("--json", "json_path", type=click.Path(dir_okay=False, path_type=Path), help="Write the JSON report here.")
@click.option("--html", "html_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the HTML report here (default: reports/check-<lang>.html, or FILE.check.html).")
@click.option("--fail-on", type=click.Choice(["fail", "warn"]), default="fail", show_default=True,
              help="Exit 1 when an entry fails, or also when one warns.")
@click.option("--engine", default="auto", show_default=True, type=click.Choice(["auto", "argos", "apertium", "none"]),
              help="es→en engine for the back-translation (skipped with a note when none is installed).")
@click.option("--no-write", is_flag=True,
              help="Write nothing into or beside the catalogues (reports only where --json/--html say).")
@click.option("--review-port", type=click.IntRange(1, 65535), default=None,
              help="Link each entry of the HTML report into `translate review --port N`.")
@click.option("--no-cache", is_flag=True,
              help="Check every entry again (the verdict cache is neither read nor updated).")
@click.option("--jobs", type=click.IntRange(1, 256), default=None, help="Engine pipelines run side by side (default: one per core, at most 8).")
@click.option("--executor", type=click.Choice(["local", "ray"]), default="local", show_default=True,
              help="Where the engines run: here, or on a Ray cluster (pip install 'translate-docs[cluster]').")
@click.option("--address", default=None, help="Ray: the cluster to join (e.g. 10.0.0.5:6379; default: RAY_ADDRESS, else a local one).")
@click.pass_context
def check_cmd(ctx, file, lang, json_path, html_path, fail_on, engine, no_write, review_port, no_cache, jobs, executor, address):
    """Round-trip validation: a pass / warn / fail verdict for every translated entry.

    \b
    Structural (source ↔ catalogue ↔ editions), catalogue (msgfmt, .mo, gettext) and
    translation checks (back-translation chrF, language, numbers, placeholders, glossary,
    length, …). Verdicts are written back as `#. check: …` comments (msgstr, flags and
    translator comments are never changed). Exit 1 when an entry fails.

    \b
    Entries already checked with the same engine and check version are not checked again
    (cache: locales/.cache/check.sqlite3, or ~/.cache/translate-docs/ for other files).

    \b
    Example:
      translate check --lang es --json reports/check.json
      translate check some-program-es.po --no-write --fail-on warn
      translate check --lang es --executor ray --address 10.0.0.5:6379 --jobs 8
    """
    cfg = _config(ctx)
    if (file is None) == (lang is None):
        raise UsageError("give either --lang LANG (the project's catalogues) or a FILE.po")
    where = {"jobs": jobs, "executor": _executor(executor, address, jobs), "cache": not no_cache}
    with _progress(ctx, "check") as bar:
        if file is not None:
            inside = file.resolve().is_relative_to(cfg.locales_dir.resolve())
            report = check_stage.check_file(
                file, engine=engine, write=not no_write, progress=bar, lock=cfg.locales_dir if inside else None, **where
            )
        else:
            report = check_stage.check_project(cfg, lang, engine=engine, write=not no_write, progress=bar, **where)
    html_out = html_path
    if html_out is None and not (no_write and file is not None):  # --no-write: nothing beside FILE.po
        html_out = check_report.default_html_path(cfg, lang, file)
    written = check_report.write_reports(report, json_path=json_path, html_path=html_out, review_port=review_port)
    _say(ctx, check_report.render_text(report))
    for p in written:
        _say(ctx, f"report: {cfg.show(p)}")
    if lang is not None:
        _next(ctx, f"translate build --lang {lang}, then translate review --lang {lang}")
    if report.exit_code(fail_on):
        counts = report.counts()
        what = plural(counts["fail"], "entry fails", "entries fail") + (
            f", {counts['warn']:,} warn" if fail_on == "warn" else ""
        )
        if report.round_trips_failed:
            what += f", {plural(len(report.round_trips_failed), 'round trip fails', 'round trips fail')}"
        raise check_report.ChecksFailed(what + " (see the report)")


def main(argv: list[str] | None = None) -> int:
    try:
        cli.main(args=argv, prog_name="translate", standalone_mode=False)
    except TranslateError as e:
        click.echo(f"translate: error: {e}", err=True)
        return e.exit_code
    except click.exceptions.Abort:
        click.echo("translate: interrupted", err=True)
        return 130
    except OSError as e:  # a read-only folder, a full disk, a file where a folder should be
        where = f"{e.filename}: " if e.filename else ""
        why = "is a file where a folder is needed" if isinstance(e, (FileExistsError, NotADirectoryError)) else e.strerror
        click.echo(f"translate: error: {where}{why or e}", err=True)
        return 2
    except click.ClickException as e:
        e.show()
        return e.exit_code
    except click.exceptions.Exit as e:
        return e.exit_code
    except KeyboardInterrupt:
        click.echo("translate: interrupted", err=True)
        return 130
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
