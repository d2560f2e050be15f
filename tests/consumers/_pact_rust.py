"""Run pact-rust's real verifier (pact-python's FFI, offline) against a provider on
127.0.0.1 that answers every GET with one JSON body."""

from __future__ import annotations

import contextlib
import json
import os
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

# pact_ffi pings its usage statistics unless this is the text "true" ("1" is not).
os.environ["PACT_DO_NOT_TRACK"] = "true"


@contextlib.contextmanager
def json_provider(answer: Callable[[str], Any]) -> Iterator[str]:
    """A provider on 127.0.0.1 answering each GET with ``answer(path)`` as JSON; yields
    its base URL."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            data = json.dumps(answer(self.path)).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def pact_rust_accepts(pact_file: Path, provider: str, sent: Any) -> bool:
    """Whether pact-rust's verifier passes ``pact_file`` against a provider sending ``sent``."""
    from pact import Verifier

    with json_provider(lambda _path: sent) as url:
        verifier = Verifier(provider, host="127.0.0.1").add_transport(url=url)
        verifier.add_source(pact_file)
        try:
            verifier.verify()
        except RuntimeError:
            return False
        return True


def one_body_pact(rules: dict[str, Any], example: Any) -> dict[str, Any]:
    """A Pact v4 file with one GET /probe interaction and these body rules."""
    return {
        "consumer": {"name": "c"},
        "provider": {"name": "p"},
        "interactions": [
            {
                "type": "Synchronous/HTTP",
                "description": "probe",
                "request": {"method": "GET", "path": "/probe"},
                "response": {
                    "status": 200,
                    "headers": {"Content-Type": ["application/json"]},
                    "body": {
                        "content": example,
                        "contentType": "application/json",
                        "encoded": False,
                    },
                    "matchingRules": {"body": rules},
                },
            }
        ],
        "metadata": {"pactSpecification": {"version": "4.0"}},
    }
