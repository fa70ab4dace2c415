"""The Jinja2 environments of the toolkit's pages (check report, editions, review page).

One factory, so that every page is made the same way: templates are files of the package
(``<stage>/templates/``), autoescaping is on for everything, and an undefined variable is
an error rather than an empty string.
"""

from __future__ import annotations

from functools import cache

import jinja2


@cache
def templates(folder: str, *, keep_trailing_newline: bool = True) -> jinja2.Environment:
    """The environment for ``translate/<folder>`` (e.g. ``"check/templates"``), made once."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("translate", folder),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=keep_trailing_newline,
    )
