"""The review page: a local web app to read, edit, approve and reject catalogue entries.

``create_app(paths, ...)`` returns a WSGI application (tests drive it in-process);
``serve(app, ...)`` runs it on 127.0.0.1. Safety:

- bound to 127.0.0.1; requests whose ``Host`` is not 127.0.0.1/localhost are refused
  (DNS rebinding);
- every state-changing request needs the per-session token (``X-Review-Token``) and a
  JSON body; a foreign ``Origin`` is refused;
- the page builds its DOM with ``textContent`` only, and a strict Content-Security-Policy
  allows no other script; the data embedded in the page is JSON with ``<``, ``>``, ``&``
  escaped;
- no request names a path: catalogues are addressed by their number in the list given at
  start, and source paragraphs are read only from files inside the project.

Saving edits only the lines of the changed entry in the file's text (every other byte,
comment, flag, previous msgid and obsolete entry stays as it was) and writes atomically.
If the file changed on disk since it was loaded, the save is refused (409) and the page
offers to reload it.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import hmac
import json
import os
import re
import secrets
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Sequence
from urllib.parse import parse_qs

import polib

from ..config import FORMATS
from ..errors import CatalogError, LockedError, UsageError
from ..fsutil import atomic_write, project_lock, read_text_strict
from ..po.catalogue import is_translated
from ..po.pofile import comment_block, declared_charset, string_lines, generate_po, parse_po
from ..po import state
from ..check.runner import check_one
from ..segment.document import Flow, Segment, parse_document

PAGE_SIZE = 100
FILTERS = ("all", "failing", "warning", "fuzzy", "untranslated", "reviewed", "translated")

# -- catalogue state -------------------------------------------------------------------------------


class Conflict(Exception):
    """The file on disk is not the one we loaded."""


_UNESC = {"n": "\n", "t": "\t", "r": "\r", "v": "\v", "b": "\b", "f": "\f", "a": "\a", "\\": "\\", '"': '"'}
_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')
_ESCAPED = re.compile(r"\\(.)")


def _unquote(lines: Iterable[str]) -> str:
    out = []
    for line in lines:
        for m in _QUOTED.finditer(line):
            part = m.group(1)
            out.append(_ESCAPED.sub(lambda x: _UNESC.get(x.group(1), x.group(1)), part) if "\\" in part else part)
    return "".join(out)


def _kind(line: str) -> str:
    if line.startswith("#~"):
        return "obsolete"
    if line.startswith("#."):
        return "comment"
    if line.startswith("#:"):
        return "refs"
    if line.startswith("#,"):
        return "flags"
    if line.startswith("#|"):
        return "previous"
    if line.startswith("#"):
        return "tcomment"
    if line.startswith("msgstr"):
        return "msgstr"
    if line.startswith(("msgctxt", "msgid")):
        return "ids"
    if line.startswith('"'):
        return "cont"
    return "other"


_RANK = {"tcomment": 0, "comment": 1, "refs": 2, "flags": 3, "previous": 4, "ids": 5, "msgstr": 6}


@dataclass
class Block:
    start: int  #: index of the first line in ``Catalogue.lines``
    end: int  #: one past the last line


@dataclass
class Catalogue:
    """One .po file as loaded: its text (for splicing), its entries, its version."""

    path: Path
    name: str
    writable_lock: Path | None = None  #: the project's locales folder (lock it when writing)
    po: polib.POFile = field(init=False, repr=False)
    entries: list[polib.POEntry] = field(init=False, repr=False)  #: live entries, in file order
    lines: list[str] = field(init=False, repr=False)
    digest: str = field(init=False)
    charset: str = field(init=False)
    rows: list[dict] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.load()

    def load(self) -> None:
        try:
            data = self.path.read_bytes()
        except OSError as e:
            raise CatalogError(f"cannot read: {e.strerror}", path=self.name) from None
        if b"\0" in data:
            raise CatalogError("binary file, not a PO catalogue (a compiled .mo?)", path=self.name)
        self.po = parse_po(data, display=self.name)
        self.charset = declared_charset(data) or "utf-8"
        self.digest = hashlib.sha256(data).hexdigest()
        self.entries = [e for e in self.po if not e.obsolete]
        self.lines = data.decode(self.charset).splitlines(keepends=True)
        self._blocks: list[Block] | None | bool = False  # mapped at the first save
        self.rows = [summarize(e) for e in self.entries]

    @property
    def blocks(self) -> list[Block] | None:
        """The line range of each live entry in ``lines``; None: entries cannot be spliced."""
        if self._blocks is False:
            self._blocks = self._map_blocks()
        return self._blocks  # type: ignore[return-value]

    def _map_blocks(self) -> list[Block] | None:
        """The line range of each live entry; None if the layout is not one we can splice."""
        lines, entries = self.lines, self.entries
        blocks: list[Block] = []
        i, n, k = 0, len(lines), 0
        header_seen = False
        while i < n:
            if not lines[i].strip():
                i += 1
                continue
            j, msgid_at, count, has_ctxt = i, -1, 0, False
            while j < n and lines[j].strip():
                line = lines[j]
                if line.startswith("msgid "):
                    msgid_at, count = j, count + 1
                elif line.startswith("msgctxt"):
                    has_ctxt = True
                j += 1
            if count > 1:
                return None
            if count == 1:
                mid = _unquote(self._field_lines(msgid_at, j, "msgid "))
                if not header_seen and not has_ctxt and mid == "":
                    header_seen = True
                else:
                    if k >= len(entries) or entries[k].msgid != mid:
                        return None
                    blocks.append(Block(i, j))
                    k += 1
            i = j
        return blocks if k == len(entries) else None

    def _field_lines(self, i: int, j: int, keyword: str) -> list[str]:
        out: list[str] = []
        inside = False
        for line in self.lines[i:j]:
            if line.startswith(keyword):
                inside = True
                out.append(line[len(keyword) :])
            elif inside and line.startswith('"'):
                out.append(line)
            elif inside:
                break
        return out

    # -- changing an entry --------------------------------------------------------------------------

    def on_disk_digest(self) -> str:
        try:
            return hashlib.sha256(self.path.read_bytes()).hexdigest()
        except FileNotFoundError:
            return ""

    def save_entry(self, index: int, before: dict) -> None:
        """Write entry ``index`` (changed in memory; ``before`` is its old state) to disk.

        The loaded text changes only once the file is written: a failed write leaves both
        as they were.
        """
        if self.on_disk_digest() != self.digest:
            raise Conflict()
        e = self.entries[index]
        blocks = self.blocks
        delta = 0
        if blocks is not None:
            b = blocks[index]
            old = [x.rstrip("\r\n") for x in self.lines[b.start : b.end]]
            nl = "\r\n" if self.lines[b.start].endswith("\r\n") else "\n"
            new = [x + nl for x in _patch_block(old, e, before)]
            lines = self.lines[: b.start] + new + self.lines[b.end :]
            delta = len(new) - (b.end - b.start)
        else:
            lines = "".join(generate_po(self.po)).splitlines(keepends=True)
        data = "".join(lines).encode(self.charset)
        if self.writable_lock is not None:
            with project_lock(self.writable_lock):
                if self.on_disk_digest() != self.digest:
                    raise Conflict()
                atomic_write(self.path, data)
        else:
            atomic_write(self.path, data)
        self.lines = lines
        if blocks is not None:
            blocks[index].end += delta
            for later in blocks[index + 1 :]:
                later.start += delta
                later.end += delta
        else:
            self._blocks = False
        self.digest = hashlib.sha256(data).hexdigest()
        self.rows[index] = summarize(e)


def _snapshot(e: polib.POEntry) -> dict:
    return {
        "comment": e.comment,
        "flags": list(e.flags),
        "previous": (e.previous_msgctxt, e.previous_msgid, e.previous_msgid_plural),
        "msgstr": (e.msgstr, dict(e.msgstr_plural)),
    }


def _regen(kind: str, e: polib.POEntry) -> list[str]:
    if kind == "comment":
        return comment_block("#.", e.comment)
    if kind == "flags":
        return ["#, " + ", ".join(e.flags)] if e.flags else []
    if kind == "previous":
        out: list[str] = []
        for kw, val in (("msgctxt", e.previous_msgctxt), ("msgid", e.previous_msgid), ("msgid_plural", e.previous_msgid_plural)):
            if val is not None:
                out += string_lines(kw, val, "#| ")
        return out
    if kind == "msgstr":
        if e.msgid_plural:
            out = []
            for idx in sorted(e.msgstr_plural, key=int):
                out += string_lines(f"msgstr[{idx}]", e.msgstr_plural[idx])
            return out
        return string_lines("msgstr", e.msgstr)
    raise AssertionError(kind)  # pragma: no cover


def _patch_block(old: list[str], e: polib.POEntry, before: dict) -> list[str]:
    """The entry's lines with only the changed parts rewritten, in their original places."""
    after = _snapshot(e)
    changed = {k for k in ("comment", "flags", "previous", "msgstr") if after[k] != before[k]}
    groups: list[tuple[str, list[str]]] = []
    for line in old:
        k = _kind(line)
        if k == "cont" and groups:
            k = groups[-1][0]
        if groups and groups[-1][0] == k:
            groups[-1][1].append(line)
        else:
            groups.append((k, [line]))
    out: list[tuple[str, list[str]]] = []
    done: set[str] = set()
    for k, lines in groups:
        if k in changed:
            if k not in done:
                out.append((k, _regen(k, e)))
                done.add(k)
        else:
            out.append((k, lines))
    for k in sorted(changed - done, key=_RANK.__getitem__):
        new = _regen(k, e)
        if not new:
            continue
        pos = len(out)
        for n, (gk, _lines) in enumerate(out):
            if _RANK.get(gk, 99) > _RANK[k] and gk != "tcomment":
                pos = n
                break
        out.insert(pos, (k, new))
    return [line for _k, lines in out for line in lines]


# -- what an entry is ------------------------------------------------------------------------------


def summarize(e: polib.POEntry) -> dict:
    """What the list needs to filter and count one entry."""
    verdict = state.verdict_of(e)
    translated = is_translated(e)
    fuzzy = "fuzzy" in e.flags
    hay = " ".join([e.msgctxt or "", e.msgid, e.msgid_plural or "", e.msgstr, *e.msgstr_plural.values()]).lower()
    return {
        "verdict": verdict,
        "untranslated": not translated,
        "fuzzy": fuzzy and translated,
        "reviewed": state.is_reviewed(e),
        "translated": translated and not fuzzy,
        "hay": hay,
    }


def _matches(row: dict, flt: str) -> bool:
    if flt == "all":
        return True
    if flt == "failing":
        return row["verdict"] == "fail"
    if flt == "warning":
        return row["verdict"] == "warn"
    return bool(row[flt])


def describe(e: polib.POEntry, index: int) -> dict:
    """The entry as the page shows it (plain strings: the page escapes them)."""
    names, findings, back = state.check_details(e)
    own = ("check:", "back-translation:", "reviewed:")
    notes = [x for x in (e.comment or "").split("\n") if x and not x.startswith(own)]
    return {
        "i": index,
        "msgctxt": e.msgctxt,
        "msgid": e.msgid,
        "msgid_plural": e.msgid_plural or None,
        "msgstr": e.msgstr,
        "msgstr_plural": {str(k): v for k, v in sorted(e.msgstr_plural.items(), key=lambda kv: int(kv[0]))},
        "flags": list(e.flags),
        "fuzzy": "fuzzy" in e.flags,
        "machine": state.is_machine(e),
        "translated": is_translated(e),
        "verdict": state.verdict_of(e),
        "checks": names,
        "findings": [{"name": n, "detail": d} for n, d in findings],
        "back_translation": back,
        "reviewed": state.reviewed_line(e),
        "notes": notes,
        "tcomment": e.tcomment or "",
        "references": [f"{f}:{n}" if n else f for f, n in e.occurrences],
        "previous_msgid": e.previous_msgid,
        "line": e.linenum,
    }


# -- re-checking one entry ---------------------------------------------------------------------------


def recheck(e: polib.POEntry, glossary: Sequence = ()) -> None:
    """Re-run the checks on one entry and rewrite its ``check:`` lines."""
    keep = [x for x in (e.comment or "").split("\n") if x and not x.startswith(("check:", "back-translation:"))]
    new: list[str] = []
    if e.msgstr and not e.msgid_plural:
        result = check_one(e.msgid, e.msgstr, comment="\n".join(keep), flags=tuple(e.flags), glossary=tuple(glossary))
        new = result.comment_lines()
    lines = keep + new
    # check lines come before the review mark, as `translate check` writes them
    rev = [x for x in lines if x.startswith("reviewed:")]
    lines = [x for x in lines if not x.startswith("reviewed:")] + rev
    e.comment = "\n".join(lines)


# -- source context ------------------------------------------------------------------------------------


class Sources:
    """Paragraphs of the project's source documents, read only from the project's source/ folder."""

    def __init__(self, root: Path | None):
        self.root = root.resolve() if root is not None else None
        self._docs: dict[Path, object] = {}

    def resolve(self, ref: str) -> Path | None:
        if self.root is None or not ref or "\0" in ref:
            return None
        rel = Path(ref)
        if rel.is_absolute():
            return None
        p = (self.root / rel).resolve()
        if not p.is_relative_to(self.root / "source") or p.suffix.lower() not in FORMATS or not p.is_file():
            return None
        return p

    def context(self, e: polib.POEntry) -> dict | None:

        for ref, line in e.occurrences:
            p = self.resolve(ref)
            if p is None:
                continue
            doc = self._docs.get(p)
            if doc is None:
                try:
                    doc = parse_document(read_text_strict(p), ref, FORMATS[p.suffix.lower()])
                except Exception:  # noqa: BLE001 - a source that cannot be read gives no context
                    doc = False
                self._docs[p] = doc
            if not doc:
                continue
            want = int(line) if str(line).isdigit() else None
            for piece in doc.pieces:
                if not isinstance(piece, Flow):
                    continue
                for part in piece.parts:
                    if isinstance(part, Segment) and part.msgid == e.msgid and (want is None or part.line == want):
                        src = piece.source
                        start = doc.text.find(src)
                        a = part.start - start if start >= 0 else -1
                        restored = part.restore(part.msgid)
                        if a < 0 or src[a : a + len(restored)] != restored:
                            a = src.find(restored)
                        if a < 0:
                            return {"file": f"{ref}:{line}", "before": src, "sentence": "", "after": ""}
                        return {
                            "file": f"{ref}:{line}",
                            "before": src[:a],
                            "sentence": restored,
                            "after": src[a + len(restored) :],
                        }
        return None


# -- the app -------------------------------------------------------------------------------------------


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
    """A WSGI application over one or more catalogues."""

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
            if path == "/api/entries":
                return self.list_entries(query)
            if path == "/api/entry":
                return self.get_entry(query)
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
        except (ValueError, KeyError):
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

    def query(self, cat: Catalogue, flt: str, q: str, offset: int, limit: int) -> dict:
        q = q.strip().lower()
        counts = dict.fromkeys(FILTERS, 0)
        hits: list[int] = []
        for i, row in enumerate(cat.rows):
            if q and q not in row["hay"]:
                continue
            counts["all"] += 1
            v = row["verdict"]
            if v == "fail":
                counts["failing"] += 1
            elif v == "warn":
                counts["warning"] += 1
            for k in ("fuzzy", "untranslated", "reviewed", "translated"):
                if row[k]:
                    counts[k] += 1
            if _matches(row, flt):
                hits.append(i)
        page = hits[offset : offset + limit]
        return {
            "filter": flt,
            "q": q,
            "offset": offset,
            "total": len(hits),
            "counts": counts,
            "items": [describe(cat.entries[i], i) for i in page],
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
                e = cat.entries[i] if i >= 0 else None
            except (ValueError, IndexError):
                e = None
            if e is None:
                return _error("404 Not Found", "no such entry")
            item = describe(e, i)
            item["context"] = self.sources.context(e)
            return _json({"entry": item, "digest": cat.digest})

    # -- changing ---------------------------------------------------------------------------------------

    def change_entry(self, body: dict) -> Response:
        cat = self._cat(body.get("cat", 0))
        if cat is None:
            return _error("404 Not Found", "no such catalogue")
        action = body.get("action")
        if action not in ("save", "approve", "reject"):
            return _error("400 Bad Request", "action must be save, approve or reject")
        with self.lock:
            i = body.get("i")
            if not isinstance(i, int) or not 0 <= i < len(cat.entries):
                return _error("404 Not Found", "no such entry")
            if body.get("digest") not in (None, cat.digest):
                return _error("409 Conflict", "the catalogue changed since this page loaded it: reload")
            if cat.on_disk_digest() != cat.digest:
                return _error("409 Conflict", f"{cat.name} was changed on disk by someone else: reload it first")
            e = cat.entries[i]
            before = _snapshot(e)
            saved = (e.msgstr, dict(e.msgstr_plural), e.comment, list(e.flags), e.previous_msgid, e.previous_msgctxt, e.previous_msgid_plural)
            if action in ("save", "approve"):
                if e.msgid_plural and isinstance(body.get("msgstr_plural"), dict):
                    forms = body["msgstr_plural"]
                    for k in list(e.msgstr_plural):
                        v = forms.get(str(k))
                        if isinstance(v, str):
                            e.msgstr_plural[k] = v
                elif not e.msgid_plural and isinstance(body.get("msgstr"), str):
                    e.msgstr = body["msgstr"]
                if action == "approve":
                    if not is_translated(e):
                        self._restore(e, saved)
                        return _error("400 Bad Request", "nothing to approve: the translation is empty")
                    if "fuzzy" in e.flags:
                        e.flags.remove("fuzzy")
                    e.previous_msgid = e.previous_msgctxt = e.previous_msgid_plural = None
                    stamp = f"reviewed: {self.reviewer}, {self.today().isoformat()}"
                    lines = [x for x in (e.comment or "").split("\n") if x and not x.startswith("reviewed:")]
                    e.comment = "\n".join(lines + [stamp])
            else:  # reject: back to untranslated
                e.msgstr = ""
                for k in e.msgstr_plural:
                    e.msgstr_plural[k] = ""
                if "fuzzy" in e.flags:
                    e.flags.remove("fuzzy")
                e.previous_msgid = e.previous_msgctxt = e.previous_msgid_plural = None
                e.comment = "\n".join(
                    x for x in (e.comment or "").split("\n") if x and not x.startswith(("reviewed:", "check:", "back-translation:"))
                )
            if _snapshot(e)["msgstr"] != before["msgstr"] or action == "approve":
                try:
                    recheck(e, self.glossary)
                except Exception as err:  # noqa: BLE001 - memory must keep matching the file
                    self._restore(e, saved)
                    return _error("500 Internal Server Error", f"re-checking failed, nothing saved: {err}")
            if _snapshot(e) == before:
                item = describe(e, i)
                item["context"] = self.sources.context(e)
                return _json({"entry": item, "digest": cat.digest, "row": _public_row(cat.rows[i]), "saved": False})
            try:
                cat.save_entry(i, before)
            except Conflict:
                self._restore(e, saved)
                return _error("409 Conflict", f"{cat.name} was changed on disk by someone else: reload it first")
            except LockedError as err:
                self._restore(e, saved)
                return _error("423 Locked", str(err))
            except BaseException:
                self._restore(e, saved)
                raise
            item = describe(e, i)
            item["context"] = self.sources.context(e)
            return _json({"entry": item, "digest": cat.digest, "row": _public_row(cat.rows[i]), "saved": True})

    @staticmethod
    def _restore(e: polib.POEntry, saved: tuple) -> None:
        (e.msgstr, plural, e.comment, flags, e.previous_msgid, e.previous_msgctxt, e.previous_msgid_plural) = saved
        e.msgstr_plural = plural
        e.flags[:] = flags

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
        cat_no = query.get("cat", "0")
        cat = self._cat(cat_no) or self.catalogues[0]
        k = self.catalogues.index(cat)
        with self.lock:
            first = self.query(cat, "all", "", 0, PAGE_SIZE)
        boot = {
            "token": self.token,
            "cat": k,
            "catalogues": [{"name": c.name, "entries": len(c.entries)} for c in self.catalogues],
            "reviewer": self.reviewer,
            "first": first,
            "pageSize": PAGE_SIZE,
        }
        csp = (
            f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; connect-src 'self'; "
            "img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
        )
        return Response("200 OK", render_page(boot, cat.name, nonce).encode("utf-8"), "text/html; charset=utf-8", csp)


def _public_row(row: dict) -> dict:
    return {k: v for k, v in row.items() if k != "hay"}


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
    who = reviewer or os.environ.get("USER") or os.environ.get("LOGNAME") or "reviewer"
    return ReviewApp(
        cats,
        token=token or secrets.token_urlsafe(24),
        reviewer=" ".join(who.split()) or "reviewer",
        sources=Sources(root),
        glossary=glossary,
        today=today,
    )


# -- serving --------------------------------------------------------------------------------------------


def make_server(app: ReviewApp, port: int = 0):
    """A threaded WSGI server on 127.0.0.1 (port 0: a free one)."""
    import socketserver
    from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server as _make

    class _Server(socketserver.ThreadingMixIn, WSGIServer):
        daemon_threads = True
        allow_reuse_address = True

    class _Quiet(WSGIRequestHandler):
        def log_message(self, *args) -> None:  # no access log on the terminal
            pass

    return _make("127.0.0.1", port, app, server_class=_Server, handler_class=_Quiet)


def open_browser(url: str) -> bool:
    import sys
    import webbrowser

    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        return False  # no graphical session: a text browser would take over the terminal
    try:
        browser = webbrowser.get()
    except webbrowser.Error:
        return False
    try:
        return bool(browser.open(url))
    except Exception:  # noqa: BLE001 - no browser is not an error
        return False


# -- the page (self-contained: no external resource) ---------------------------------------------------


def render_page(boot: dict, name: str, nonce: str) -> str:
    import html as _html

    data = json.dumps(boot, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return (
        _PAGE.replace("@NONCE@", nonce)
        .replace("@TITLE@", _html.escape(f"Review · {name}"))
        .replace("@BOOT@", data)
    )


_PAGE = r"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>@TITLE@</title>
<style nonce="@NONCE@">
* { box-sizing: border-box; }
html, body { height: 100%; margin: 0; }
body { font: 14px/1.45 "DejaVu Sans", system-ui, sans-serif; color: #1d1d1b; background: #f6f5f1; display: flex; flex-direction: column; }
header { padding: .5em 1em; background: #26323a; color: #fff; display: flex; gap: 1em; align-items: center; flex-wrap: wrap; }
header h1 { font-size: 1.05em; margin: 0; font-weight: normal; }
header select, header input { font: inherit; }
#search { padding: .25em .5em; width: 18em; }
nav#filters { display: flex; gap: .3em; flex-wrap: wrap; }
nav#filters button { font: inherit; border: 1px solid #889; background: #3b4a54; color: #fff; border-radius: 3px; padding: .15em .6em; cursor: pointer; }
nav#filters button[aria-pressed="true"] { background: #fff; color: #26323a; }
.count { opacity: .8; margin-left: .3em; }
#conflict { display: none; background: #fde7e7; border-bottom: 2px solid #c62828; padding: .5em 1em; }
#conflict.on { display: block; }
#wrap { flex: 1; display: flex; min-height: 0; }
#listbox { width: 40%; min-width: 18em; overflow-y: auto; border-right: 1px solid #ccc; background: #fff; }
#list { list-style: none; margin: 0; padding: 0; }
#list li { padding: .35em .7em; border-bottom: 1px solid #eee; cursor: pointer; display: grid; grid-template-columns: 4.5em 1fr; gap: .1em .6em; }
#list li.sel { background: #dbe9f7; outline: 2px solid #0b5cad; outline-offset: -2px; }
#list .src, #list .tr { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
#list .tr { grid-column: 2; color: #555; }
#list .tr.empty { font-style: italic; color: #999; }
.badge { font-size: .75em; border-radius: 3px; padding: 0 .35em; text-align: center; align-self: start; color: #fff; background: #888; }
.b-fail { background: #c62828; } .b-warn { background: #b06f00; } .b-pass { background: #2e7d32; }
.b-fuzzy { background: #6a4c93; } .b-untranslated { background: #9e9e9e; } .b-reviewed { background: #1565c0; }
#more { display: none; margin: .6em; font: inherit; }
#more.on { display: inline-block; }
#detail { flex: 1; overflow-y: auto; padding: 1em 1.4em 3em; }
#detail h2 { font-size: .8em; text-transform: uppercase; letter-spacing: .05em; color: #666; margin: 1.2em 0 .3em; }
.text { white-space: pre-wrap; background: #fff; border: 1px solid #ddd; padding: .5em .7em; border-radius: 3px; overflow-wrap: anywhere; }
textarea { width: 100%; min-height: 5em; font: 15px/1.5 "DejaVu Sans", sans-serif; padding: .5em .7em; border: 1px solid #999; border-radius: 3px; resize: vertical; }
textarea.dirty { border-color: #b06f00; background: #fffaf0; }
.actions { display: flex; gap: .5em; margin-top: .5em; flex-wrap: wrap; }
.actions button { font: inherit; padding: .3em .9em; cursor: pointer; }
#findings { margin: 0; padding-left: 1.2em; }
.ctx mark { background: #fff3a0; }
.meta { color: #555; font-size: .9em; }
#status { padding: .3em 1em; background: #e8e6df; font-size: .9em; min-height: 1.8em; }
#status.err { background: #fde7e7; color: #8e0000; }
kbd { border: 1px solid #aaa; border-bottom-width: 2px; border-radius: 3px; padding: 0 .3em; font-size: .85em; background: #fff; color: #222; }
</style>
</head>
<body>
<header>
<h1 id="title"></h1>
<select id="catalogue" aria-label="Catalogue"></select>
<input id="search" type="search" placeholder="Search (/)" aria-label="Search">
<nav id="filters" aria-label="Filters"></nav>
</header>
<div id="conflict" role="alert"><span id="conflict-msg"></span> <button id="reload" type="button">Reload from disk (R)</button></div>
<div id="wrap">
<div id="listbox"><ol id="list" role="listbox" aria-label="Entries"></ol><button id="more" type="button">Load more</button></div>
<section id="detail" aria-live="polite"></section>
</div>
<div id="status">Keys: <kbd>j</kbd>/<kbd>k</kbd> next/previous · <kbd>e</kbd> edit · <kbd>Ctrl</kbd>+<kbd>Enter</kbd> save · <kbd>Esc</kbd> leave the text · <kbd>a</kbd> approve and go to the next · <kbd>X</kbd> reject · <kbd>/</kbd> search · <kbd>0</kbd>–<kbd>6</kbd> filters</div>
<script type="application/json" id="boot">@BOOT@</script>
<script nonce="@NONCE@">
"use strict";
const boot = JSON.parse(document.getElementById("boot").textContent);
const FILTERS = [["all", "All"], ["failing", "Failing"], ["warning", "Warning"], ["fuzzy", "Fuzzy/machine"], ["untranslated", "Untranslated"], ["reviewed", "Reviewed"], ["translated", "Translated"]];
const S = {cat: boot.cat, filter: "all", q: "", items: [], total: 0, counts: {}, sel: -1, digest: boot.first.digest, seq: 0, pending: null};
const $ = (id) => document.getElementById(id);
function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = text;
  return e;
}
function say(msg, err) { const s = $("status"); s.textContent = msg; s.classList.toggle("err", !!err); }

async function api(path, body) {
  const opt = body === undefined ? {} : {method: "POST", headers: {"Content-Type": "application/json", "X-Review-Token": boot.token}, body: JSON.stringify(body)};
  const r = await fetch(path, opt);
  let data;
  try { data = await r.json(); } catch (e) { data = {error: r.statusText}; }
  if (!r.ok) { const err = new Error(data.error || r.statusText); err.status = r.status; throw err; }
  return data;
}

function badge(it) {
  if (it.verdict === "fail") return ["fail", "fail"];
  if (!it.translated) return ["untranslated", "new"];
  if (it.fuzzy) return ["fuzzy", it.machine ? "machine" : "fuzzy"];
  if (it.reviewed) return ["reviewed", "reviewed"];
  if (it.verdict === "warn") return ["warn", "warn"];
  if (it.verdict === "pass") return ["pass", "pass"];
  return ["", "done"];
}
function shownTr(it) {
  if (it.msgid_plural) return Object.values(it.msgstr_plural).join(" | ");
  return it.msgstr;
}
function row(it, k) {
  const li = el("li");
  li.setAttribute("role", "option");
  li.dataset.k = k;
  const [b, label] = badge(it);
  li.appendChild(el("span", "badge b-" + b, label));
  li.appendChild(el("span", "src", (it.msgctxt ? "[" + it.msgctxt + "] " : "") + it.msgid));
  const tr = shownTr(it);
  li.appendChild(el("span", "tr" + (tr ? "" : " empty"), tr || "(untranslated)"));
  if (k === S.sel) { li.classList.add("sel"); li.setAttribute("aria-selected", "true"); }
  return li;
}
function renderFilters() {
  const nav = $("filters");
  nav.textContent = "";
  FILTERS.forEach(([f, label], n) => {
    const b = el("button");
    b.type = "button";
    b.dataset.filter = f;
    b.setAttribute("aria-pressed", String(S.filter === f));
    b.title = "key " + n;
    b.appendChild(document.createTextNode(label));
    b.appendChild(el("span", "count", String(S.counts[f] ?? 0)));
    b.addEventListener("click", () => setFilter(f));
    nav.appendChild(b);
  });
}
function renderList(from) {
  const list = $("list");
  if (!from) list.textContent = "";
  const frag = document.createDocumentFragment();
  for (let k = from || 0; k < S.items.length; k++) frag.appendChild(row(S.items[k], k));
  list.appendChild(frag);
  $("more").classList.toggle("on", S.items.length < S.total);
  $("more").textContent = "Load more (" + (S.total - S.items.length) + " left)";
}
function applyPage(data, append) {
  S.total = data.total;
  S.counts = data.counts;
  S.digest = data.digest;
  const from = append ? S.items.length : 0;
  S.items = append ? S.items.concat(data.items) : data.items;
  renderFilters();
  renderList(from);
}
async function load(append) {
  if (append && S.appending) return false;
  if (append) S.appending = true;
  try { return await loadPage(append); } finally { if (append) S.appending = false; }
}
async function loadPage(append) {
  const seq = ++S.seq;
  const off = append ? S.items.length : 0;
  const url = "/api/entries?cat=" + S.cat + "&filter=" + S.filter + "&q=" + encodeURIComponent(S.q) + "&offset=" + off + "&limit=" + boot.pageSize;
  try {
    const data = await api(url);
    if (seq !== S.seq) return false;
    applyPage(data, append);
    if (!append) select(S.items.length ? 0 : -1);
    return true;
  } catch (e) { say(e.message, true); return false; }
}
async function refreshCounts() {
  try {
    const data = await api("/api/entries?cat=" + S.cat + "&filter=" + S.filter + "&q=" + encodeURIComponent(S.q) + "&offset=0&limit=1");
    S.counts = data.counts; S.digest = data.digest; renderFilters();
  } catch (e) { say(e.message, true); }
}
function setFilter(f) { S.filter = f; load(false); }

function section(parent, title) { parent.appendChild(el("h2", null, title)); }
function renderDetail() {
  const d = $("detail");
  d.textContent = "";
  const it = S.items[S.sel];
  if (!it) { d.appendChild(el("p", "meta", S.total ? "" : "No entry matches.")); return; }
  const head = el("p", "meta", "Entry " + (it.i + 1) + (it.line ? " · line " + it.line : "") + (it.flags.length ? " · #, " + it.flags.join(", ") : ""));
  d.appendChild(head);
  if (it.msgctxt) { section(d, "Context (msgctxt)"); d.appendChild(el("div", "text", it.msgctxt)); }
  section(d, "English");
  d.appendChild(el("div", "text", it.msgid)).id = "msgid";
  if (it.msgid_plural) { section(d, "English plural"); d.appendChild(el("div", "text", it.msgid_plural)); }
  section(d, "Spanish");
  if (it.msgid_plural) {
    for (const [k, v] of Object.entries(it.msgstr_plural)) {
      const t = el("textarea", "form"); t.value = v; t.dataset.form = k; t.setAttribute("aria-label", "msgstr[" + k + "]");
      t.addEventListener("input", () => t.classList.add("dirty"));
      d.appendChild(el("div", "meta", "msgstr[" + k + "]")); d.appendChild(t);
    }
  } else {
    const t = el("textarea"); t.id = "msgstr"; t.value = it.msgstr; t.setAttribute("aria-label", "Spanish translation");
    t.addEventListener("input", () => t.classList.add("dirty"));
    if (S.pending && S.pending.i === it.i) { t.value = S.pending.text; t.classList.add("dirty"); }
    d.appendChild(t);
  }
  const acts = el("div", "actions");
  for (const [id, label, fn] of [["save", "Save (Ctrl+Enter)", () => act("save")], ["approve", "Approve (a)", () => act("approve")], ["reject", "Reject (X)", () => act("reject")]]) {
    const b = el("button", null, label); b.type = "button"; b.id = "btn-" + id; b.addEventListener("click", fn); acts.appendChild(b);
  }
  d.appendChild(acts);
  section(d, "Check");
  const v = el("p");
  const [bc, bl] = it.verdict ? [it.verdict, it.verdict] : ["", "not checked"];
  v.appendChild(el("span", "badge b-" + bc, bl)); v.id = "verdict";
  if (it.checks.length) v.appendChild(document.createTextNode(" " + it.checks.join(", ")));
  d.appendChild(v);
  if (it.findings.length) {
    const ul = el("ul"); ul.id = "findings";
    for (const f of it.findings) ul.appendChild(el("li", null, f.name + ": " + f.detail));
    d.appendChild(ul);
  }
  if (it.back_translation) { section(d, "Back-translation"); d.appendChild(el("div", "text", it.back_translation)); }
  if (it.reviewed) d.appendChild(el("p", "meta", it.reviewed)).id = "reviewed";
  if (it.previous_msgid) { section(d, "Previous English (#| msgid)"); d.appendChild(el("div", "text", it.previous_msgid)); }
  if (it.tcomment) { section(d, "Translator comments"); d.appendChild(el("div", "text", it.tcomment)); }
  if (it.notes.length) { section(d, "Notes"); d.appendChild(el("div", "text meta", it.notes.join("\n"))); }
  if (it.references.length) { section(d, "References"); d.appendChild(el("div", "meta", it.references.join("  "))); }
  const ctx = el("div"); ctx.id = "context"; d.appendChild(ctx);
  if (it.context !== undefined) renderContext(it.context);
}
function renderContext(c) {
  const box = $("context");
  if (!box) return;
  box.textContent = "";
  if (!c) return;
  section(box, "Paragraph in " + c.file);
  const p = el("div", "text ctx");
  p.appendChild(document.createTextNode(c.before));
  p.appendChild(el("mark", null, c.sentence));
  p.appendChild(document.createTextNode(c.after));
  box.appendChild(p);
}
let detailTimer = null;
function select(k) {
  const list = $("list");
  const old = list.querySelector("li.sel");
  if (old) { old.classList.remove("sel"); old.removeAttribute("aria-selected"); }
  S.sel = k;
  const li = list.children[k];
  if (li) { li.classList.add("sel"); li.setAttribute("aria-selected", "true"); li.scrollIntoView({block: "nearest"}); }
  renderDetail();
  clearTimeout(detailTimer);
  const it = S.items[k];
  if (!it || it.context !== undefined) return;
  detailTimer = setTimeout(async () => {
    try {
      const data = await api("/api/entry?cat=" + S.cat + "&i=" + it.i);
      it.context = data.entry.context;
      if (S.items[S.sel] === it) renderContext(it.context);
    } catch (e) { say(e.message, true); }
  }, 60);
}
async function move(step) {
  let k = S.sel + step;
  if (k >= S.items.length && S.items.length < S.total) { await load(true); }
  if (k < 0 || k >= S.items.length) return;
  select(k);
}
function dirty() { return !!document.querySelector("#detail textarea.dirty"); }
async function act(action) {
  const it = S.items[S.sel];
  if (!it) return;
  const body = {cat: S.cat, i: it.i, action: action, digest: S.digest};
  if (action !== "reject") {
    if (it.msgid_plural) {
      body.msgstr_plural = {};
      document.querySelectorAll("#detail textarea.form").forEach((t) => { body.msgstr_plural[t.dataset.form] = t.value; });
    } else { body.msgstr = $("msgstr").value; }
  }
  const k = S.sel;
  try {
    const d = await api("/api/entry", body);
    if (S.pending && S.pending.i === it.i) S.pending = null;
    S.digest = d.digest;
    d.entry.context = d.entry.context ?? null;
    S.items[k] = d.entry;
    const li = $("list").children[k];
    if (li) li.replaceWith(row(d.entry, k));
    if (S.sel === k) renderDetail();
    const what = {save: "saved", approve: "approved", reject: "rejected (now untranslated)"}[action];
    say((d.saved ? what : "no change") + ": entry " + (it.i + 1) + (d.entry.verdict ? " — check: " + d.entry.verdict : ""));
    refreshCounts();
    if (action === "approve") move(1);
  } catch (e) {
    if (e.status === 409) {
      if (!it.msgid_plural && $("msgstr")) S.pending = {i: it.i, text: $("msgstr").value};
      $("conflict-msg").textContent = e.message;
      $("conflict").classList.add("on");
    }
    say(e.message, true);
  }
}
async function reloadFromDisk() {
  try {
    const r = await api("/api/reload", {cat: S.cat});
    S.digest = r.digest;  // before anything else: a save right after the reload must not be refused
    const keep = S.items[S.sel] ? S.items[S.sel].i : null;
    await load(false);
    if (keep !== null) { const k = S.items.findIndex((x) => x.i === keep); if (k >= 0) select(k); }
    $("conflict").classList.remove("on");  // only once the page shows the reloaded catalogue
    say("reloaded from disk" + (S.pending ? "; your edit is kept in the box: save it again" : ""));
  } catch (e) { say(e.message, true); }
}
document.addEventListener("keydown", (ev) => {
  const t = ev.target;
  const typing = t && (t.tagName === "TEXTAREA" || t.tagName === "INPUT" || t.tagName === "SELECT");
  if (typing) {
    if (ev.key === "Escape") { t.blur(); ev.preventDefault(); }
    else if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey) && t.tagName === "TEXTAREA") { ev.preventDefault(); t.blur(); act("save"); }
    else if (ev.key === "Enter" && t.id === "search") { ev.preventDefault(); t.blur(); }
    return;
  }
  if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
  const k = ev.key;
  if (k === "j" || k === "ArrowDown") { ev.preventDefault(); move(1); }
  else if (k === "k" || k === "ArrowUp") { ev.preventDefault(); move(-1); }
  else if (k === "e" || k === "Enter") { const ta = document.querySelector("#detail textarea"); if (ta) { ev.preventDefault(); ta.focus(); ta.setSelectionRange(ta.value.length, ta.value.length); } }
  else if (k === "a") { ev.preventDefault(); act("approve"); }
  else if (k === "s") { ev.preventDefault(); act("save"); }
  else if (k === "X") { ev.preventDefault(); act("reject"); }
  else if (k === "R" && $("conflict").classList.contains("on")) { ev.preventDefault(); reloadFromDisk(); }
  else if (k === "/") { ev.preventDefault(); $("search").focus(); }
  else if (/^[0-6]$/.test(k)) { ev.preventDefault(); setFilter(FILTERS[Number(k)][0]); }
});
let searchTimer = null;
$("search").addEventListener("input", () => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(() => { S.q = $("search").value; load(false); }, 150);
});
$("more").addEventListener("click", () => load(true));
$("reload").addEventListener("click", reloadFromDisk);
$("listbox").addEventListener("click", (ev) => { const li = ev.target.closest("li"); if (li) select(Number(li.dataset.k)); });
$("listbox").addEventListener("scroll", () => {
  const b = $("listbox");
  if (b.scrollTop + b.clientHeight > b.scrollHeight - 200 && S.items.length < S.total) load(true);
});
const sel = $("catalogue");
boot.catalogues.forEach((c, k) => { const o = el("option", null, c.name + " (" + c.entries + ")"); o.value = String(k); if (k === boot.cat) o.selected = true; sel.appendChild(o); });
sel.hidden = boot.catalogues.length < 2;
sel.addEventListener("change", () => { location.search = "?cat=" + sel.value; });
$("title").textContent = "Review: " + boot.catalogues[boot.cat].name + " — reviewer " + boot.reviewer;
applyPage(boot.first, false);
select(S.items.length ? 0 : -1);
document.body.dataset.ready = "1";
</script>
</body>
</html>
"""
