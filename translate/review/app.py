"""The review page: a local web app to read, edit, approve and reject catalogue entries.

``create_app(paths, ...)`` returns a WSGI application (tests drive it in-process);
``make_server(app)`` serves it on 127.0.0.1 (:mod:`.server`). Safety:

- bound to 127.0.0.1; requests whose ``Host`` is not 127.0.0.1/localhost are refused
  (DNS rebinding);
- every state-changing request needs the per-session token (``X-Review-Token``) and a
  JSON body; a foreign ``Origin`` is refused. The token is not in the page: it is in the
  address ``translate review`` prints (a ``#token=`` fragment, which no request carries),
  so another user of the machine who can reach the port can read but not change;
- the page builds its DOM with ``textContent`` only, and a strict Content-Security-Policy
  allows no script but our own file; the data embedded in the page is JSON with ``<``,
  ``>``, ``&`` escaped;
- no request names a path: catalogues are addressed by their number in the list given at
  start, static files by a fixed list of names, and source paragraphs are read only from
  files inside the project;
- a save must name the version of the file the page saw (``digest``); if the file changed
  since, on disk or in another tab, the save is refused (409) and the page offers to reload.

The file model is in :mod:`.patch`, entry summaries and the re-check in :mod:`.entries`,
source paragraphs in :mod:`.sources`; the page is ``templates/review.html`` with
``static/review.js`` and ``static/review.css``.
"""

from __future__ import annotations

import datetime as _dt
import functools
import hmac
import json
import os
import re
import secrets
import subprocess
import threading
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Callable, Sequence
from urllib.parse import parse_qs

import polib

from ..errors import CatalogError, LockedError, UsageError
from .. import pages
from ..po import state
from ..po.catalogue import is_translated
from .entries import FILTERS, count_and_filter, describe, gnu_problem, public_row, recheck
from .patch import Catalogue, Conflict, snapshot
from .server import entry_url, make_server, open_browser, page_url
from .sources import Sources

__all__ = ["PAGE_SIZE", "FILTERS", "ReviewApp", "create_app", "make_server", "open_browser", "page_url", "entry_url", "reviewer_name"]

PAGE_SIZE = 100

#: the files under static/ the app serves, and their content types (nothing else is ever read)
STATIC = {"review.js": "text/javascript; charset=utf-8", "review.css": "text/css; charset=utf-8"}
_STATIC_CSP = "default-src 'none'; frame-ancestors 'none'"
_PAGE_CSP = (
    "default-src 'none'; script-src 'nonce-{nonce}'; style-src 'self'; connect-src 'self'; "
    "img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


def _templates():
    return pages.templates("review/templates", keep_trailing_newline=False)


@functools.cache
def _static_files() -> dict[str, bytes]:
    folder = resources.files("translate.review") / "static"
    return {name: (folder / name).read_bytes() for name in STATIC}


@dataclass
class Response:
    status: str
    body: bytes
    content_type: str = "application/json; charset=utf-8"
    csp: str | None = None


def _json(obj, status: str = "200 OK") -> Response:
    return Response(status, json.dumps(obj, ensure_ascii=False).encode("utf-8"))


def _error(status: str, message: str) -> Response:
    return _json({"error": message}, status)


class ReviewApp:
    """A WSGI application over one or more catalogues.

    The router is written by hand on purpose: a handful of routes, no dependency, and every
    security rule (host, origin, token, content type, size) in one place, ``handle``.
    """

    def __init__(
        self,
        catalogues: list[Catalogue],
        *,
        token: str,
        reviewer: str,
        sources: Sources,
        glossary: Sequence = (),
        today: Callable[[], _dt.date] = _dt.date.today,
    ):
        self.catalogues = catalogues
        self.token = token
        self.reviewer = reviewer
        self.sources = sources
        self.glossary = glossary
        self.today = today
        self.lock = threading.Lock()
        self.static = _static_files()
        self.template = _templates().get_template("review.html")

    # -- WSGI ---------------------------------------------------------------------------------------

    def __call__(self, environ, start_response):
        try:
            resp = self.handle(environ)
        except Exception as e:  # noqa: BLE001 - one request failing must not stop the server
            resp = _error("500 Internal Server Error", f"{type(e).__name__}: {e}")
        headers = [
            ("Content-Type", resp.content_type),
            ("Content-Length", str(len(resp.body))),
            ("Cache-Control", "no-store"),
            ("X-Content-Type-Options", "nosniff"),
            ("Referrer-Policy", "no-referrer"),
            ("X-Frame-Options", "DENY"),
        ]
        if resp.csp:
            headers.append(("Content-Security-Policy", resp.csp))
        start_response(resp.status, headers)
        return [resp.body]

    def handle(self, environ) -> Response:
        host = environ.get("HTTP_HOST", "127.0.0.1")
        hostname = host.rsplit(":", 1)[0] if not host.startswith("[") else host.split("]")[0] + "]"
        if hostname not in ("127.0.0.1", "localhost", "[::1]"):
            return _error("403 Forbidden", "this page is served for 127.0.0.1 only")
        method = environ.get("REQUEST_METHOD", "GET")
        path = environ.get("PATH_INFO", "/")
        query = {k: v[-1] for k, v in parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True).items()}
        if method in ("GET", "HEAD"):
            if path == "/":
                return self.page(query)
            if path.startswith("/static/") and path[len("/static/") :] in STATIC:
                name = path[len("/static/") :]
                return Response("200 OK", self.static[name], STATIC[name], _STATIC_CSP)
            if path == "/api/entries":
                return self.list_entries(query)
            if path == "/api/entry":
                return self.get_entry(query)
            if path == "/api/locate":
                return self.locate(query)
            return _error("404 Not Found", "no such page")
        if method != "POST":
            return _error("405 Method Not Allowed", "GET or POST only")
        origin = environ.get("HTTP_ORIGIN")
        if origin and not re.fullmatch(r"http://(127\.0\.0\.1|localhost|\[::1\])(:\d+)?", origin):
            return _error("403 Forbidden", "cross-origin request refused")
        given = environ.get("HTTP_X_REVIEW_TOKEN", "")
        if not given or not hmac.compare_digest(given.encode(), self.token.encode()):
            return _error("403 Forbidden", "missing or wrong session token")
        if not environ.get("CONTENT_TYPE", "").startswith("application/json"):
            return _error("415 Unsupported Media Type", "send JSON")
        try:
            size = int(environ.get("CONTENT_LENGTH") or 0)
            if size > 10_000_000:
                return _error("413 Payload Too Large", "request too large")
            body = json.loads(environ["wsgi.input"].read(size) or b"{}")
            if not isinstance(body, dict):
                raise ValueError
        except (ValueError, KeyError, RecursionError):  # RecursionError: JSON nested thousands deep
            return _error("400 Bad Request", "bad JSON")
        if path == "/api/entry":
            return self.change_entry(body)
        if path == "/api/reload":
            return self.reload(body)
        return _error("404 Not Found", "no such action")

    # -- reading -----------------------------------------------------------------------------------------

    def _cat(self, value) -> Catalogue | None:
        try:
            k = int(value)
        except (TypeError, ValueError):
            return None
        return self.catalogues[k] if 0 <= k < len(self.catalogues) else None

    def _describe(self, cat: Catalogue, i: int, *, context: bool = False) -> dict:
        item = describe(cat.entries[i], i, cat.msgid_line(i))
        if context:
            item["context"] = self.sources.context(cat.entries[i])
        return item

    def query(self, cat: Catalogue, flt: str, q: str, offset: int, limit: int) -> dict:
        counts, hits = count_and_filter(cat.rows, flt, q)
        return {
            "filter": flt,
            "q": q.strip().lower(),
            "offset": offset,
            "total": len(hits),
            "counts": counts,
            "items": [self._describe(cat, i) for i in hits[offset : offset + limit]],
            "digest": cat.digest,
        }

    def list_entries(self, query: dict) -> Response:
        cat = self._cat(query.get("cat", "0"))
        if cat is None:
            return _error("404 Not Found", "no such catalogue")
        flt = query.get("filter", "all")
        if flt not in FILTERS:
            return _error("400 Bad Request", "unknown filter")
        try:
            offset = max(0, int(query.get("offset", 0)))
            limit = min(1000, max(1, int(query.get("limit", PAGE_SIZE))))
        except ValueError:
            return _error("400 Bad Request", "bad offset or limit")
        with self.lock:
            return _json(self.query(cat, flt, query.get("q", ""), offset, limit))

    def get_entry(self, query: dict) -> Response:
        cat = self._cat(query.get("cat", "0"))
        if cat is None:
            return _error("404 Not Found", "no such catalogue")
        with self.lock:
            try:
                i = int(query.get("i", ""))
            except ValueError:
                i = -1
            if not 0 <= i < len(cat.entries):
                return _error("404 Not Found", "no such entry")
            return _json({"entry": self._describe(cat, i, context=True), "digest": cat.digest})

    def locate(self, query: dict) -> Response:
        """The entry a deep link names: its msgid starts at ``line`` (or is the nearest after it)."""
        cat = self._cat(query.get("cat", "0"))
        if cat is None:
            return _error("404 Not Found", "no such catalogue")
        try:
            line = int(query.get("line", ""))
        except ValueError:
            return _error("400 Bad Request", "line must be a number")
        with self.lock:
            i = cat.entry_at_line(line)
            if i is None:
                return _error("404 Not Found", "the catalogue has no entries")
            return _json({"i": i, "line": cat.msgid_line(i), "digest": cat.digest})

    # -- changing ---------------------------------------------------------------------------------------

    def change_entry(self, body: dict) -> Response:
        cat = self._cat(body.get("cat", 0))
        if cat is None:
            return _error("404 Not Found", "no such catalogue")
        action = body.get("action")
        if action not in ("save", "approve", "reject"):
            return _error("400 Bad Request", "action must be save, approve or reject")
        digest = body.get("digest")
        if not isinstance(digest, str) or not digest:
            return _error("400 Bad Request", "digest missing: say which version of the catalogue this change is for")
        with self.lock:
            i = body.get("i")
            if not isinstance(i, int) or not 0 <= i < len(cat.entries):
                return _error("404 Not Found", "no such entry")
            if not hmac.compare_digest(digest, cat.digest):
                return _error("409 Conflict", "the catalogue changed since this page loaded it: reload")
            if cat.on_disk_digest() != cat.digest:
                return _error("409 Conflict", f"{cat.name} was changed on disk by someone else: reload it first")
            e = cat.entries[i]
            before = snapshot(e)
            saved = _keep(e)
            if action in ("save", "approve"):
                _take_translation(e, body)
                problem = gnu_problem(e)
                if problem:
                    _restore(e, saved)
                    return _error("400 Bad Request", problem)
                if action == "save" and snapshot(e)["msgstr"] != before["msgstr"]:
                    state.drop_review_mark(e)  # an edit is not an approval of the new text
                if action == "approve":
                    if not is_translated(e):
                        _restore(e, saved)
                        return _error("400 Bad Request", "nothing to approve: the translation is empty")
                    self._approve(e)
            else:
                _reject(e)
            if snapshot(e)["msgstr"] != before["msgstr"] or action == "approve":
                try:
                    recheck(e, self.glossary)
                except Exception as err:  # noqa: BLE001 - memory must keep matching the file
                    _restore(e, saved)
                    return _error("500 Internal Server Error", f"re-checking failed, nothing saved: {err}")
            changed = snapshot(e) != before
            if changed:
                try:
                    cat.save_entry(i, before)
                except Conflict:
                    _restore(e, saved)
                    return _error("409 Conflict", f"{cat.name} was changed on disk by someone else: reload it first")
                except LockedError as err:
                    _restore(e, saved)
                    return _error("423 Locked", str(err))
                except CatalogError as err:
                    _restore(e, saved)
                    return _error("400 Bad Request", str(err))
                except BaseException:
                    _restore(e, saved)
                    raise
            item = self._describe(cat, i, context=True)
            return _json({"entry": item, "digest": cat.digest, "row": public_row(cat.rows[i]), "saved": changed})

    def _approve(self, e: polib.POEntry) -> None:
        """Clear fuzzy and ``#|``, and record who approved which text (see po.state)."""
        state.mark_reviewed(e, self.reviewer, self.today())

    def reload(self, body: dict) -> Response:
        cat = self._cat(body.get("cat", 0))
        if cat is None:
            return _error("404 Not Found", "no such catalogue")
        with self.lock:
            try:
                cat.load()
            except CatalogError as err:
                return _error("422 Unprocessable Entity", str(err))
            return _json({"reloaded": True, "digest": cat.digest, "entries": len(cat.entries)})

    # -- the page ------------------------------------------------------------------------------------------

    def page(self, query: dict) -> Response:
        nonce = secrets.token_urlsafe(16)
        cat = self._cat(query.get("cat", "0")) or self.catalogues[0]
        k = self.catalogues.index(cat)
        with self.lock:
            first = self.query(cat, "all", "", 0, PAGE_SIZE)
        boot = {
            "cat": k,
            "catalogues": [{"name": c.name, "entries": len(c.entries)} for c in self.catalogues],
            "first": first,
            "pageSize": PAGE_SIZE,
        }
        html = self.template.render(
            boot=boot, name=cat.name, cat=k, catalogues=boot["catalogues"], reviewer=self.reviewer, nonce=nonce
        )
        return Response("200 OK", html.encode("utf-8"), "text/html; charset=utf-8", _PAGE_CSP.format(nonce=nonce))


# -- changing one entry in memory -------------------------------------------------------------------------


def _keep(e: polib.POEntry) -> tuple:
    return (
        e.msgstr, dict(e.msgstr_plural), e.tcomment, e.comment, list(e.flags),
        e.previous_msgid, e.previous_msgctxt, e.previous_msgid_plural,
    )


def _restore(e: polib.POEntry, saved: tuple) -> None:
    (e.msgstr, plural, e.tcomment, e.comment, flags, e.previous_msgid, e.previous_msgctxt, e.previous_msgid_plural) = saved
    e.msgstr_plural = plural
    e.flags[:] = flags


def _take_translation(e: polib.POEntry, body: dict) -> None:
    if e.msgid_plural and isinstance(body.get("msgstr_plural"), dict):
        forms = body["msgstr_plural"]
        for k in list(e.msgstr_plural):
            v = forms.get(str(k))
            if isinstance(v, str):
                e.msgstr_plural[k] = v
    elif not e.msgid_plural and isinstance(body.get("msgstr"), str):
        e.msgstr = body["msgstr"]


def _reject(e: polib.POEntry) -> None:
    """Back to untranslated: no translation, no fuzzy mark, no check or review lines."""
    e.msgstr = ""
    for k in e.msgstr_plural:
        e.msgstr_plural[k] = ""
    if "fuzzy" in e.flags:
        e.flags.remove("fuzzy")
    e.previous_msgid = e.previous_msgctxt = e.previous_msgid_plural = None
    state.remove_own(e, (state.REVIEWED_PREFIX, *state.OWN_MT_PREFIXES, state.CHECK_PREFIX, state.BT_PREFIX))


# -- making the app -----------------------------------------------------------------------------------------


def _git_user_name(folder: Path) -> str:
    """``git config user.name`` as seen from ``folder``; "" when git or the setting is missing."""
    try:
        r = subprocess.run(
            ["git", "config", "user.name"], cwd=folder, capture_output=True, text=True, check=False, stdin=subprocess.DEVNULL
        )
    except OSError:
        return ""
    return r.stdout.strip() if r.returncode == 0 else ""


def reviewer_name(given: str | None, folder: Path | None) -> str:
    """Who approves: ``--reviewer``, else git's ``user.name`` (run in ``folder``), else $USER, else "reviewer"."""
    candidates = [given, _git_user_name(folder) if folder is not None and folder.is_dir() else ""]
    candidates += [os.environ.get("USER"), os.environ.get("LOGNAME")]
    for c in candidates:
        name = " ".join((c or "").split())
        if name:
            return name
    return "reviewer"


def create_app(
    paths: Sequence[Path],
    *,
    project: Path | None = None,
    token: str | None = None,
    reviewer: str | None = None,
    glossary: Sequence = (),
    today: Callable[[], _dt.date] = _dt.date.today,
) -> ReviewApp:
    """The review app over the .po files ``paths``.

    ``project``: the project folder; source paragraphs are read from inside it only, and
    writes to catalogues under its ``locales/`` take the project lock. Without it (a
    single foreign .po file), nothing but the named files is ever read or written.
    A catalogue's shown name (in the page, and in ``#entry=`` deep links) is its path
    relative to the project, else the path as given.
    """
    if not paths:
        raise UsageError("no catalogue to review")
    cats = []
    root = project.resolve() if project is not None else None
    for p in paths:
        p = Path(p)
        rp = p.resolve()
        if not rp.is_file():
            raise CatalogError("no such catalogue", path=str(p))
        if rp.suffix not in (".po", ".pot"):
            raise UsageError(f"{p}: not a .po file")
        inside = root is not None and rp.is_relative_to(root)
        name = rp.relative_to(root).as_posix() if inside else str(p)
        lock = (root / "locales") if inside and rp.is_relative_to(root / "locales") else None
        cats.append(Catalogue(rp, name, lock))
    return ReviewApp(
        cats,
        token=token or secrets.token_urlsafe(24),
        reviewer=reviewer_name(reviewer, root if root is not None else cats[0].path.parent),
        sources=Sources(root),
        glossary=glossary,
        today=today,
    )
