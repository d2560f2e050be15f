"""``accord site --serve``: the built site on loopback, rebuilt when the registry changes.

The server binds 127.0.0.1 only, answers only requests whose ``Host`` is a loopback
name (DNS rebinding), and serves files from the output directory (the standard
library's handler, which refuses paths outside it; a path holding NUL is 404), every
answer with the pages' Content-Security-Policy and ``nosniff``. A watcher polls the
registry's files (relative path, size and mtime; at most :data:`MAX_WATCHED` files, so
a huge tree cannot make a poll unbounded) and rebuilds when they change; a build that
fails keeps the previous site and reports the error through ``on_event``. ``stop``
(a :class:`threading.Event`) ends the loop; the CLI sets it on Ctrl-C.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

__all__ = ["MAX_WATCHED", "serve", "snapshot"]

MAX_WATCHED = 20_000


def snapshot(root: Path) -> tuple[tuple[str, int, int], ...]:
    """``(relative path, size, mtime_ns)`` of the registry's files, sorted; at most
    :data:`MAX_WATCHED` entries (symlinks are not followed)."""
    seen: list[tuple[str, int, int]] = []
    for base, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            path = os.path.join(base, name)
            try:
                st = os.lstat(path)
            except OSError:
                continue
            seen.append((os.path.relpath(path, root), st.st_size, st.st_mtime_ns))
            if len(seen) >= MAX_WATCHED:
                return tuple(seen)
    return tuple(seen)


# Names a browser sends in Host for this server. Binding 127.0.0.1 is not enough: a page
# the developer visits can point a name of its own at 127.0.0.1 (DNS rebinding) and read
# the catalogue as same-origin, so a request for any other host is refused.
_LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "[::1]"})


def _loopback_host(host: str) -> bool:
    """Whether a ``Host`` header names this machine's loopback (any port)."""
    name = host.strip().lower()
    if not name.endswith("]"):  # "[::1]" holds colons of its own
        name = name.rpartition(":")[0] or name
    return name in _LOOPBACK_HOSTS


# The pages' own meta policy, sent on every answer: error pages and directory listings
# have no meta tag, and a header can also forbid framing.
_CSP = (
    "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return

    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", _CSP)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        super().end_headers()

    def send_head(self) -> Any:  # GET and HEAD both start here
        if not _loopback_host(self.headers.get("Host", "")):
            self.send_error(403, "only requests for 127.0.0.1 or localhost are served")
            return None
        if "\x00" in self.translate_path(self.path):
            # open() raises ValueError for it: a traceback and no answer at all
            self.send_error(404, "File not found")
            return None
        return super().send_head()


def serve(
    registry_root: Path,
    out: Path,
    *,
    port: int = 8000,
    interval: float = 1.0,
    stop: threading.Event | None = None,
    on_ready: Callable[[str], None] | None = None,
    on_event: Callable[[str], None] | None = None,
) -> int:
    """Build, serve ``out`` on ``127.0.0.1:port`` (0: any free port) and rebuild on
    change until ``stop`` is set. Returns the number of rebuilds.

    Raises:
        UsageError, AccordError: the first build fails (nothing is served).
        OSError: the port cannot be bound.
    """
    from functools import partial

    from accord.registry.model import Registry
    from accord.site._build import build_site

    def build() -> None:
        build_site(Registry.load(registry_root), out)

    build()
    stop = stop if stop is not None else threading.Event()
    handler = partial(_Quiet, directory=str(out))
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1})
    thread.daemon = True
    thread.start()
    rebuilds = 0
    try:
        host, bound = server.server_address[:2]
        if on_ready is not None:
            on_ready(f"http://{host!s}:{bound}/")
        last = snapshot(registry_root)
        while not stop.wait(interval):
            now = snapshot(registry_root)
            if now == last:
                continue
            last = now
            from accord.errors import AccordError

            try:
                build()
            except AccordError as exc:
                if on_event is not None:
                    on_event(f"rebuild failed, still serving the previous site: {exc}")
                continue
            rebuilds += 1
            if on_event is not None:
                on_event("rebuilt")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
    return rebuilds
