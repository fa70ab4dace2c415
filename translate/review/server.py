"""Serving the review app: a threaded WSGI server on 127.0.0.1, its address, and a browser to open it."""

from __future__ import annotations

import os
import socketserver
import sys
import webbrowser
from urllib.parse import quote
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer
from wsgiref.simple_server import make_server as _wsgiref_server

HOST = "127.0.0.1"


class _Server(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args) -> None:  # no access log on the terminal
        pass


def make_server(app, port: int = 0) -> WSGIServer:
    """A threaded WSGI server on 127.0.0.1 (port 0: a free one)."""
    return _wsgiref_server(HOST, port, app, server_class=_Server, handler_class=_Quiet)


def page_url(port: int, token: str) -> str:
    """The address to open: the session token rides in the fragment, which no request carries.

    The page keeps it (per browser, for this address) and sends it with every change; later
    addresses typed by hand, and deep links (``#entry=…``), then need no token.
    """
    return f"http://{HOST}:{port}/#token={quote(token, safe='')}"


def entry_url(port: int, catalogue: str, line: int) -> str:
    """A deep link to the entry of ``catalogue`` (its shown name) whose msgid starts at ``line``."""
    return f"http://{HOST}:{port}/#entry={quote(catalogue, safe='')}:{line}"


def open_browser(url: str) -> bool:
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
