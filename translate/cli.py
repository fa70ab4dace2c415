"""The ``translate`` command line: parse, call one library function, print.

Errors from the library (:class:`TranslateError`) become one line on stderr and exit code 2,
here and nowhere else.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .check import report as check_report
from .check import stage as check_stage
from .config import Config, catalogues
from .errors import TranslateError, UsageError
from .mt import stage as mt_stage
from .mt.engines import argos
from .mt.engines.select import INSTALL_HINTS, installed
from .mt.glossary import load_glossary
from .po import stage as po_stage
from .po.catalogue import STATES
from .progress import Progress
from .publish import stage as publish_stage
from .publish.stage import BUILD_FORMATS
from .review import app as review_app
from .segment import stage as segment_stage

LANG_HELP = "Target language code (e.g. es, en)."


def _config(ctx: click.Context) -> Config:
    return ctx.obj


def _say(ctx: click.Context, message: str) -> None:
    if not _config(ctx).quiet:
        click.echo(message)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "--project",
    "project_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
    show_default=True,
    help="Project folder (holds source/, locales/, editions/).",
)
@click.option("-q", "--quiet", is_flag=True, help="Print only errors.")
@click.version_option(package_name="translate-toolkit-es", prog_name="translate", message="%(prog)s %(version)s")
@click.pass_context
def cli(ctx: click.Context, project_dir: Path, quiet: bool) -> None:
    """Offline English → Spanish localisation of documents.

    \b
    English documents in source/ (.txt, .md) become gettext catalogues in locales/,
    are translated offline, checked, and rebuilt as editions in editions/<lang>/.

    \b
    Example:
      translate run                 # the whole job on source/
      translate segment && translate update --lang es && translate build --lang en
    """
    ctx.obj = Config(project=project_dir, quiet=quiet)


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
    results = segment_stage.segment(_config(ctx), files)
    for r in results:
        state = "written" if r.written else "unchanged"
        _say(ctx, f"{_config(ctx).show(r.path)}: {r.entries} entries ({r.segments} sentences, {r.words} words), {state}")


@cli.command()
@click.option("--lang", required=True, help=LANG_HELP)
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
    for r in po_stage.update(_config(ctx), lang):
        rep = r.report
        what = "created" if r.created else ("updated" if r.written else "unchanged")
        _say(
            ctx,
            f"{_config(ctx).show(r.path)}: {what}; {rep.kept} kept, {rep.fuzzy} fuzzy, {rep.new} new, "
            f"{rep.obsoleted} obsolete, {rep.revived} revived",
        )


@cli.command()
@click.option("--lang", required=True, help="Edition language: en (rebuilt from the catalogue, equals the source) or es.")
@click.option(
    "--format",
    "formats",
    multiple=True,
    type=click.Choice(["source", "html", "bilingual"]),
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
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.pass_context
def build(ctx: click.Context, lang: str, files: tuple[Path, ...], formats=(), fallback="english", strict=False) -> None:
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
    """
    cfg = _config(ctx)
    results = publish_stage.build(cfg, lang, files, formats=formats or BUILD_FORMATS, fallback=fallback, strict=strict)
    for r in results:
        c = r.counts
        if lang == "en":
            detail = f"{r.segments} sentences from the catalogue"
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


@cli.command()
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--lang", default=None, help="Review every catalogue of this language in the project (default: es).")
@click.option("--port", type=click.IntRange(0, 65535), default=0, help="Port on 127.0.0.1 (default: a free one).")
@click.option("--no-open", is_flag=True, help="Do not open a browser; just print the address.")
@click.option("--reviewer", default=None, help="Name recorded when approving (default: $USER).")
@click.pass_context
def review(ctx: click.Context, file: Path | None, lang: str | None, port: int, no_open: bool, reviewer: str | None) -> None:
    """Review a catalogue in a local web page (127.0.0.1 only).

    \b
    Filter entries (failing, warning, fuzzy/machine, untranslated, reviewed, search),
    read source, Spanish, back-translation, check findings and the source paragraph;
    edit, approve (clears fuzzy and records the reviewer) or reject; keyboard-only
    (j/k, e, a, X, /). Saves atomically, keeping every comment, flag and obsolete entry;
    a file changed on disk meanwhile is never overwritten. Works on any .po file.

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
        glossary = load_glossary(cfg) if root is not None else []
    else:
        paths = catalogues(cfg, lang or "es")
        root = cfg.project
        glossary = load_glossary(cfg)
    app = review_app.create_app(paths, project=root, reviewer=reviewer, glossary=glossary)
    try:
        server = review_app.make_server(app, port)
    except OSError as e:
        raise UsageError(f"cannot listen on 127.0.0.1:{port}: {e.strerror}") from None
    url = f"http://127.0.0.1:{server.server_port}/"
    click.echo(f"Reviewing {', '.join(c.name for c in app.catalogues)} at {url}  (Ctrl+C to stop)")
    if not no_open:
        review_app.open_browser(url)
    server.serve_forever()


@cli.command()
@click.option("--lang", default=None, help="Only this language (default: templates and every language).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.pass_context
def stats(ctx: click.Context, lang: str | None, as_json: bool) -> None:
    """Entries and words per state (translated, fuzzy, untranslated, obsolete).

    \b
    Example:
      translate stats --lang es
    """
    cfg = _config(ctx)
    rows = po_stage.stats(cfg, lang)
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
    header = ["catalogue", "lang"] + [s for s in STATES]
    table = [header]
    for r in rows:
        table.append(
            [cfg.show(r.path), r.lang] + [f"{r.stats.entries[s]} ({r.stats.words[s]} w)" for s in STATES]
        )
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for k, row in enumerate(table):
        click.echo("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
        if k == 0:
            click.echo("  ".join("-" * w for w in widths))


@cli.command()
@click.option("--lang", default="es", show_default=True, help=LANG_HELP)
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
@click.option("--batch-size", type=click.IntRange(1, 100000), default=500, show_default=True, help="Segments per saved batch.")
@click.pass_context
def mt(ctx, lang, engine, domains, retranslate, beam_size, threads, compute_type, batch_size):
    """Fill untranslated entries offline with Argos or Apertium.

    \b
    Every machine translation is marked fuzzy and gets a comment naming the engine, its
    version and the date. Entries a person translated or approved are never changed.
    Results are saved after every batch: an interrupted run keeps what it finished and
    the next run continues. A second run on unchanged sources calls no engine.

    \b
    Example:
      translate mt --lang es
      translate mt --lang es --engine apertium --retranslate machine
    """
    cfg = _config(ctx)
    bar = Progress("mt", enabled=False if cfg.quiet else None)
    try:
        r = mt_stage.machine_translate(
            cfg,
            lang,
            engine=engine,
            domains=domains,
            retranslate=retranslate,
            engine_options={"beam_size": beam_size, "intra_threads": threads, "compute_type": compute_type},
            batch_size=batch_size,
            progress=bar,
        )
    finally:
        bar.close()
    if r.engine:
        rate = r.words / r.seconds if r.seconds else 0
        _say(ctx, f"engine: {r.engine} ({r.engine_version})")
        _say(
            ctx,
            f"{r.translated} sentences machine-translated into {r.entries - r.from_memory} entries "
            f"({r.words} words, {rate:,.0f} words/s, {r.engine_calls} engine batches)",
        )
    if r.from_memory:
        _say(ctx, f"{r.from_memory} sentences reused from reviewed translations (translation memory)")
    if not r.engine and not r.from_memory:
        _say(ctx, "nothing to translate: every entry already has a translation")
    if r.flagged:
        _say(ctx, f"{r.flagged} translations flagged: a protected token (URL, code, placeholder, glossary term) did not survive")
    if r.unknown_words:
        _say(ctx, f"{r.unknown_words} words unknown to the engine (noted in the catalogue for `translate check`)")
    for p in r.catalogues:
        _say(ctx, f"{cfg.show(p)}")


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
    pairs = installed()
    for name in ("argos", "apertium"):
        mine = [p for p in pairs if p.engine == name]
        if mine:
            for p in mine:
                click.echo(f"{name:9} {p.source} → {p.target}   {p.detail}")
        else:
            click.echo(f"{name:9} not installed   install: {INSTALL_HINTS[name]}")
    for src, tgt in (("en", "es"), ("es", "en")):
        if not any((p.source, p.target) == (src, tgt) for p in pairs):
            click.echo(f"missing direction {src} → {tgt}: {INSTALL_HINTS['apertium']}")


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
@click.option("--lang", default="es", show_default=True, help=LANG_HELP)
@click.option("--engine", type=click.Choice(["auto", "argos", "apertium"]), default="auto", show_default=True, help="MT engine.")
@click.pass_context
def run(ctx: click.Context, lang: str, engine: str) -> None:
    """The main job on source/: segment, update, machine-translate, check, build the editions.

    \b
    Ends with where the editions, the catalogues and the check report are. Exit code 1 when
    some entries fail their checks (the editions are still built, failing entries listed).

    \b
    Example:
      translate run
      translate run --engine apertium
    """
    cfg = _config(ctx)
    ctx.invoke(segment)
    ctx.invoke(update, lang=lang)
    ctx.invoke(update, lang="en")
    ctx.invoke(mt, lang=lang, engine=engine, domains=(), retranslate=None, beam_size=2, threads=0, compute_type="int8", batch_size=500)
    problems = None
    try:
        ctx.invoke(check_cmd, file=None, lang=lang, json_path=cfg.project / "reports" / f"check-{lang}.json",
                   html_path=None, fail_on="fail", engine="auto" if engine == "auto" else engine, no_write=False)
    except check_report.ChecksFailed as e:
        problems = e
    ctx.invoke(build, lang="en", files=())
    ctx.invoke(build, lang=lang, files=())
    click.echo(f"Editions: {cfg.show(cfg.editions_dir)}/en/, {cfg.show(cfg.editions_dir)}/{lang}/ and {cfg.show(cfg.editions_dir)}/en-{lang}/")
    click.echo(f"Catalogues: {cfg.show(cfg.locales_dir)}/{lang}/LC_MESSAGES/")
    click.echo(f"Check report: {cfg.show(cfg.project / 'reports')}/check-{lang}.html (JSON: check-{lang}.json)")
    if problems is not None:
        raise problems


@cli.command("check")
@click.argument("file", required=False, type=click.Path(path_type=Path))
@click.option("--lang", help="Check the project's catalogues of this language (e.g. es).")
@click.option("--json", "json_path", type=click.Path(dir_okay=False, path_type=Path), help="Write the JSON report here.")
@click.option("--html", "html_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the HTML report here (default: reports/check-<lang>.html, or FILE.check.html).")
@click.option("--fail-on", type=click.Choice(["fail", "warn"]), default="fail", show_default=True,
              help="Exit 1 when an entry fails, or also when one warns.")
@click.option("--engine", default="auto", show_default=True, type=click.Choice(["auto", "argos", "apertium", "none"]),
              help="es→en engine for the back-translation (skipped with a note when none is installed).")
@click.option("--no-write", is_flag=True, help="Do not write the verdicts back into the catalogues.")
@click.pass_context
def check_cmd(ctx, file, lang, json_path, html_path, fail_on, engine, no_write):
    """Round-trip validation: a pass / warn / fail verdict for every translated entry.

    \b
    Structural (source ↔ catalogue ↔ editions), catalogue (msgfmt, .mo, gettext) and
    translation checks (back-translation chrF, language, numbers, placeholders, glossary,
    length, …). Verdicts are written back as `#. check: …` comments (msgstr, flags and
    translator comments are never changed). Exit 1 when an entry fails.

    \b
    Example:
      translate check --lang es --json reports/check.json
      translate check some-program-es.po --no-write --fail-on warn
    """
    cfg = _config(ctx)
    if (file is None) == (lang is None):
        raise UsageError("give either --lang LANG (the project's catalogues) or a FILE.po")
    if file is not None:
        report = check_stage.check_file(file, engine=engine, write=not no_write)
    else:
        report = check_stage.check_project(cfg, lang, engine=engine, write=not no_write)
    html_out = html_path or check_report.default_html_path(cfg, lang, file)
    written = check_report.write_reports(report, json_path=json_path, html_path=html_out)
    _say(ctx, check_report.render_text(report))
    for p in written:
        _say(ctx, f"report: {cfg.show(p)}")
    if report.exit_code(fail_on):
        counts = report.counts()
        what = f"{counts['fail']} entries fail" + (f", {counts['warn']} warn" if fail_on == "warn" else "")
        if report.round_trips_failed:
            what += f", {len(report.round_trips_failed)} round trips fail"
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
