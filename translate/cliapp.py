"""The root of the ``translate`` command line: the group, its global options, and the helpers
every command uses to reach the project's configuration and print (commands: :mod:`translate.cli`).
"""

from __future__ import annotations

from pathlib import Path

import click

from . import __version__
from .config import Config, check_lang
from .lazy import lazy_module

ui = lazy_module("translate.ui")


def _config(ctx: click.Context) -> Config:
    opts = ctx.find_root().meta.setdefault("translate.options", {"project_dir": Path("."), "quiet": False})
    return Config(project=opts["project_dir"], quiet=opts["quiet"])


def _say(ctx: click.Context, message: str) -> None:
    if not _config(ctx).quiet:
        click.echo(message)


def _next(ctx: click.Context, hint: str) -> None:
    """The one-line hint of what to run next."""
    _say(ctx, f"next: {hint}")


def _progress(ctx: click.Context, label: str):
    return ui.Progress(label, enabled=False if _config(ctx).quiet else None)


def _lang(_ctx, _param, value):
    return None if value is None else check_lang(value)


def _set_global(ctx: click.Context, param: click.Parameter, value) -> None:
    """--project and -q are accepted before and after the command name."""
    opts = ctx.find_root().meta.setdefault("translate.options", {"project_dir": Path("."), "quiet": False})
    if param.name == "project_dir" and value is not None:
        opts["project_dir"] = value
    elif param.name == "quiet" and value:
        opts["quiet"] = True


_PROJECT_OPTION = dict(
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    expose_value=False,
    is_eager=True,
    callback=_set_global,
    help="Project folder (holds source/, locales/, editions/). Default: the current folder.",
)
_QUIET_OPTION = dict(is_flag=True, expose_value=False, is_eager=True, callback=_set_global, help="Print only errors.")


def global_options(f):
    f = click.option("--project", "project_dir", **_PROJECT_OPTION)(f)
    return click.option("-q", "--quiet", **_QUIET_OPTION)(f)


class _Group(click.Group):
    """Every command (and sub-command) also takes --project and -q."""

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        if not isinstance(cmd, click.Group):
            global_options(cmd)
        super().add_command(cmd, name)

    def group(self, *args, **kwargs):
        kwargs.setdefault("cls", _Group)
        return super().group(*args, **kwargs)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@global_options
@click.version_option(__version__, prog_name="translate", message="%(prog)s %(version)s")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Offline English → Spanish localisation of documents.

    \b
    English documents in source/ (.txt, .md) become gettext catalogues in locales/,
    are translated offline, checked, and rebuilt as editions in editions/<lang>/.

    \b
    Example:
      translate run                 # the whole job on source/
      translate segment && translate update --lang es && translate build --lang en
    """
