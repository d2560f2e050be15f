"""Replaying interactions: safe URLs, generators, and the three ways to reach a provider.

- :class:`AsgiTarget`: an ASGI app (FastAPI, Starlette) in process through
  ``httpx.ASGITransport`` on one private event loop (lifespan events are run, so
  startup hooks happen as in production);
- :class:`WsgiTarget`: a WSGI app (Flask, Django, a bare function) in process through
  ``httpx.WSGITransport``;
- :class:`HttpTarget`: a running provider at a base URL.

Safety (all three): the scheme, host and port are fixed by the target; the interaction
contributes only a path, which must be a single leading ``/`` with no scheme,
authority, backslash, ``?``/``#``, ``.``/``..`` segment (also when percent-encoded, at
any depth) or control/whitespace character, and query parameters and headers, which are
encoded by httpx (a header that would change the connection, such as ``Host`` or
``Transfer-Encoding``, is refused). Redirects are never followed: a 3xx is the response
verified, so no request leaves the host. Each request has a total time cap and a
response-size cap. A base URL must be a loopback address unless remote providers are
explicitly allowed; names are not resolved (``localhost`` is the only name accepted).
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import json
import threading
import time
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import quote, unquote, urlencode, urlsplit

from accord.core.pointer import escape
from accord.provider._errors import ProviderError

__all__ = [
    "AsgiTarget",
    "BaseUrl",
    "GeneratorError",
    "HttpTarget",
    "Limits",
    "ReplayError",
    "Request",
    "Response",
    "StateChangeUrl",
    "Target",
    "WsgiTarget",
    "app_target",
    "check_generators",
    "check_headers",
    "check_path",
    "fill_request",
    "parse_base_url",
]

_HOP_HEADERS = frozenset(
    {
        "host",
        "content-length",
        "transfer-encoding",
        "connection",
        "upgrade",
        "te",
        "trailer",
        "keep-alive",
        "proxy-authorization",
        "proxy-connection",
    }
)


class ReplayError(Exception):
    """A request could not be completed (timeout, too large, connection refused)."""


class GeneratorError(Exception):
    """An interaction's generators cannot be applied (a missing provider-state value)."""


# The longest --timeout: a deadline further off overflows the clock (time_t).
MAX_TIMEOUT = 86_400.0


@dataclass(frozen=True)
class Limits:
    """Per-request caps: total seconds and response bytes.

    Raises:
        UsageError: a timeout that is not a number of seconds in (0, one day], or a
            byte cap that is not a positive integer.
    """

    timeout: float = 10.0
    max_response_bytes: int = 10 * 1024 * 1024

    def __post_init__(self) -> None:
        from accord.errors import UsageError

        timeout, cap = self.timeout, self.max_response_bytes
        if isinstance(timeout, bool) or not isinstance(timeout, int | float):
            raise UsageError(f"--timeout {timeout!r} is not a number of seconds")
        if not 0 < timeout <= MAX_TIMEOUT:  # NaN fails too
            raise UsageError(f"--timeout {timeout} must be above 0 and at most {MAX_TIMEOUT:g}")
        if isinstance(cap, bool) or not isinstance(cap, int) or cap <= 0:
            raise UsageError(f"--max-response-bytes {cap!r} must be a positive integer")


@dataclass(frozen=True)
class Request:
    """A request ready to send: the path is checked, the rest is encoded by httpx."""

    method: str
    path: str
    query: tuple[tuple[str, str], ...] = ()
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes | None = None

    def target(self) -> str:
        """``path?query`` as sent (percent-encoded)."""
        text = quote(self.path, safe="/%:@!$&'()*+,;=-._~")
        if self.query:
            text += "?" + urlencode(list(self.query))
        return text


@dataclass(frozen=True)
class Response:
    """What the provider answered; header names lower-case."""

    status: int
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""
    elapsed: float = 0.0


class Target(Protocol):
    """Somewhere interactions are replayed."""

    description: str

    def send(self, request: Request) -> Response:
        """Send one request.

        Raises:
            ReplayError: timeout, oversize response, connection failure.
        """
        ...

    def close(self) -> None:
        """Release the client (and run the app's shutdown)."""
        ...


# -- paths and headers ----------------------------------------------------------------


def _unsafe(path: str, why: str, pointer: str, file: str | None) -> ProviderError:
    return ProviderError(
        f"refusing interaction path {path!r}: {why}",
        code="interaction-unsafe-path",
        file=file,
        pointer=pointer,
    )


def _bad_char(text: str) -> str | None:
    for ch in text:
        if ch.isspace() or unicodedata.category(ch).startswith("C"):
            return f"it contains the control or whitespace character {ch!r}"
    return None


def check_path(path: Any, *, pointer: str = "", file: str | None = None) -> str:
    """Return ``path`` if an interaction may send it, else raise.

    Raises:
        ProviderError: ``interaction-unsafe-path`` naming why.
    """
    if not isinstance(path, str):
        raise _unsafe(str(path), "a path is a string", pointer, file)
    if not path.startswith("/"):
        raise _unsafe(path, "a path starts with a single '/' (no scheme or host)", pointer, file)
    if path.startswith("//"):
        raise _unsafe(path, "'//' would name another host", pointer, file)
    if why := _bad_char(path):
        raise _unsafe(path, why, pointer, file)
    for ch, what in (("\\", "a backslash"), ("?", "a '?' (use query)"), ("#", "a fragment")):
        if ch in path:
            raise _unsafe(path, f"it contains {what}", pointer, file)
    for n, segment in enumerate(path.split("/")[1:]):
        text = segment
        for _ in range(4):  # a server may decode more than once: look through each layer
            if text in (".", ".."):
                raise _unsafe(path, f"segment {n + 1} is {text!r} after decoding", pointer, file)
            if "%" not in text:
                break
            if not all(
                len(part) >= 2 and all(c in "0123456789abcdefABCDEF" for c in part[:2])
                for part in text.split("%")[1:]
            ):
                raise _unsafe(path, "it has a malformed percent-escape", pointer, file)
            try:
                decoded = unquote(text, errors="strict")
            except UnicodeDecodeError:
                # Overlong forms (%c0%ae is '.') and other invalid UTF-8: servers
                # disagree on what they mean, so nothing may rely on them.
                raise _unsafe(
                    path, "a percent-escape decodes to invalid (or overlong) UTF-8", pointer, file
                ) from None
            if why := _bad_char(decoded):
                raise _unsafe(path, f"{why} once decoded", pointer, file)
            if "/" in decoded or "\\" in decoded:
                raise _unsafe(path, "it has an encoded '/' or '\\'", pointer, file)
            text = decoded
        if text in (".", ".."):
            raise _unsafe(path, f"segment {n + 1} is {text!r} after decoding", pointer, file)
    return path


def check_headers(
    headers: Mapping[str, Any], *, pointer: str = "", file: str | None = None
) -> tuple[tuple[str, str], ...]:
    """Headers an interaction may send (names and values checked).

    Raises:
        ProviderError: ``interaction-unsafe-header``.
    """
    out: list[tuple[str, str]] = []
    for name, value in headers.items():
        text = str(value)
        if name.lower() in _HOP_HEADERS or name.lower().startswith("proxy-"):
            raise ProviderError(
                f"refusing header {name!r}: it would change where or how the request is sent",
                code="interaction-unsafe-header",
                file=file,
                pointer=pointer,
            )
        if any(c in text for c in "\r\n\0") or not name or _bad_char(name):
            raise ProviderError(
                f"refusing header {name!r}: control characters in its name or value",
                code="interaction-unsafe-header",
                file=file,
                pointer=pointer,
            )
        out.append((name, text))
    return tuple(out)


# -- generators -------------------------------------------------------------------------


def _expression(gen: Mapping[str, Any], values: Mapping[str, Any]) -> Any:
    expr = str(gen.get("expression", ""))
    import re

    names = re.findall(r"\$\{([^}]*)\}", expr)
    for name in names:
        if name not in values:
            raise GeneratorError(
                f"provider-state value {name!r} (in {expr!r}) is set by no state handler "
                f"(values: {sorted(values) or 'none'})"
            )
    if len(names) == 1 and expr == "${" + names[0] + "}":
        result = values[names[0]]
    else:
        result = re.sub(r"\$\{([^}]*)\}", lambda m: str(values[m.group(1)]), expr)
    kind = str(gen.get("dataType", "RAW")).upper()
    try:
        if kind == "INTEGER":
            return int(result)
        if kind == "DECIMAL":
            return float(result)
        if kind == "BOOLEAN":
            return result if isinstance(result, bool) else str(result).lower() == "true"
        if kind == "STRING":
            return str(result)
    except (TypeError, ValueError):
        raise GeneratorError(f"value {result!r} of {expr!r} is not a {kind.lower()}") from None
    return result


# Caps on random generators: enough for any test value, far below what would stall a run.
MAX_GENERATED_LENGTH = 4096
MAX_DECIMAL_DIGITS = 17  # what a float carries
_INT_BOUND = 2**63


def _generator_problem(gen: Any) -> str | None:
    """Why ``gen``'s parameters are unusable, or ``None``."""
    if not isinstance(gen, Mapping):
        return None

    def number(key: str, default: int) -> int | None:
        value = gen.get(key, default)
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    kind = gen.get("type")
    if kind == "RandomInt":
        low, high = number("min", 0), number("max", 2**31 - 1)
        if low is None or high is None:
            return "RandomInt min and max must be integers"
        if not -_INT_BOUND <= low <= high < _INT_BOUND:
            return f"RandomInt needs min <= max within +/-2**63 (min {low}, max {high})"
    elif kind in ("RandomDecimal", "RandomHexadecimal", "RandomString"):
        key = "size" if kind == "RandomString" else "digits"
        cap = MAX_DECIMAL_DIGITS if kind == "RandomDecimal" else MAX_GENERATED_LENGTH
        low = 0 if kind == "RandomString" else 1
        value = number(key, 10 if kind == "RandomString" else 6 if kind == "RandomDecimal" else 8)
        if value is None or not low <= value <= cap:
            return f"{kind} {key} must be an integer from {low} to {cap}, not {gen.get(key)!r}"
    elif kind == "ProviderState" and not isinstance(gen.get("expression", ""), str):
        return "ProviderState expression must be a string"
    return None


def check_generators(
    raw: Mapping[str, Any], *, label: str, pointer: str = "", file: str | None = None
) -> None:
    """Refuse a request's generators whose parameters are out of range, before any request.

    Raises:
        ProviderError: ``interaction-bad-generator`` naming the interaction (``label``)
            and the generator's place.
    """
    gens = raw.get("generators") or {}
    if not isinstance(gens, Mapping):
        return
    places: list[tuple[str, Any]] = [("path", gens.get("path"))]
    for group in ("query", "header", "headers", "body"):
        table = gens.get(group)
        if isinstance(table, Mapping):
            places += [(f"{group}/{escape(k)}", g) for k, g in table.items()]
    for where, gen in places:
        if why := _generator_problem(gen):
            raise ProviderError(
                f"{label}: generator {where.replace('/', ' ', 1)}: {why}",
                code="interaction-bad-generator",
                file=file,
                pointer=f"{pointer}/generators/{where}",
            )


def _generate(gen: Any, values: Mapping[str, Any], seed: str, example: Any) -> Any:
    """One generated value (Pact's generator types; unknown types keep the example)."""
    import random
    import uuid

    if not isinstance(gen, Mapping):
        return example
    if why := _generator_problem(gen):
        raise GeneratorError(why)
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    kind = gen.get("type")
    if kind == "ProviderState":
        return _expression(gen, values)
    if kind == "RandomInt":
        return rng.randint(int(gen.get("min", 0)), int(gen.get("max", 2**31 - 1)))
    if kind == "RandomDecimal":
        digits = int(gen.get("digits", 6))
        return float(f"{rng.randint(1, 9)}.{rng.randint(0, 10 ** (digits - 1) - 1)}")
    if kind == "RandomHexadecimal":
        return "".join(rng.choice("0123456789abcdef") for _ in range(int(gen.get("digits", 8))))
    if kind == "RandomString":
        letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
        return "".join(rng.choice(letters) for _ in range(int(gen.get("size", 10))))
    if kind == "RandomBoolean":
        return rng.random() < 0.5
    if kind == "Uuid":
        return str(uuid.UUID(int=rng.getrandbits(128), version=4))
    return example


def _set_body(body: Any, path: str, gen: Any, values: Mapping[str, Any], seed: str) -> Any:
    from accord.consumers._matchers import parse_path

    text = path[len("$.body") :] if path.startswith("$.body") else path.removeprefix("$")
    tokens = parse_path("$" + text)
    if not tokens:
        return _generate(gen, values, seed, body)

    def walk(node: Any, i: int) -> Any:
        kind, arg = tokens[i]
        last = i == len(tokens) - 1
        keyed = kind == "key" and isinstance(node, dict) and arg in node
        if keyed or (kind == "index" and isinstance(node, list) and arg < len(node)):
            node[arg] = _generate(gen, values, seed, node[arg]) if last else walk(node[arg], i + 1)
        elif kind == "items" and isinstance(node, list):
            for n, item in enumerate(node):
                node[n] = _generate(gen, values, seed, item) if last else walk(item, i + 1)
        elif kind == "keys" and isinstance(node, dict):
            for k, item in node.items():
                node[k] = _generate(gen, values, seed, item) if last else walk(item, i + 1)
        return node

    return walk(body, 0)


def fill_request(
    raw: Mapping[str, Any],
    values: Mapping[str, Any],
    *,
    seed: str = "",
    pointer: str = "",
    file: str | None = None,
) -> Request:
    """The request of an HTTP interaction, generators applied and every part checked.

    Raises:
        GeneratorError: a ProviderState expression names a value no handler set.
        ProviderError: the (generated) path or a header is unsafe.
    """
    gens: Mapping[str, Any] = raw.get("generators") or {}
    path: Any = raw.get("path", "/")
    if "path" in gens:
        path = _generate(gens["path"], values, seed, path)
    query: dict[str, list[str]] = {k: list(v) for k, v in (raw.get("query") or {}).items()}
    for name, gen in (gens.get("query") or {}).items():
        if name in query or isinstance(gen, Mapping):
            query[name] = [str(_generate(gen, values, seed, (query.get(name) or [""])[0]))]
    headers: dict[str, str] = dict(raw.get("headers") or {})
    for name, gen in (gens.get("header") or gens.get("headers") or {}).items():
        headers[name] = str(_generate(gen, values, seed, headers.get(name, "")))
    body: bytes | None = None
    if "body" in raw:
        payload = json.loads(json.dumps(raw["body"].get("example")))
        for where, gen in (gens.get("body") or {}).items():
            payload = _set_body(payload, where, gen, values, seed)
        body = json.dumps(payload, ensure_ascii=False).encode()
        if not any(h.lower() == "content-type" for h in headers):
            headers["Content-Type"] = raw["body"].get("content_type", "application/json")
    return Request(
        method=str(raw.get("method", "GET")).upper(),
        path=check_path(path, pointer=pointer + "/path", file=file),
        query=tuple((k, v) for k, vs in query.items() for v in vs),
        headers=check_headers(headers, pointer=pointer + "/headers", file=file),
        body=body,
    )


def path_template(raw: Mapping[str, Any]) -> str:
    """The path with every ``${name}`` of a ProviderState path generator as ``x``
    (what can be checked before any state exists)."""
    import re

    gen = (raw.get("generators") or {}).get("path")
    if isinstance(gen, Mapping) and gen.get("type") == "ProviderState":
        return re.sub(r"\$\{[^}]*\}", "x", str(gen.get("expression", "")))
    return str(raw.get("path", "/"))


# -- base URLs ------------------------------------------------------------------------


@dataclass(frozen=True)
class BaseUrl:
    """A checked base URL: fixed scheme, host and port, and a base path."""

    scheme: str
    host: str
    port: int | None
    path: str

    def url(self, request: Request) -> Any:
        """The ``httpx.URL`` of ``request`` under this base (host checked again)."""
        import httpx

        raw = (self.path + request.target()).encode("ascii")
        url = httpx.URL(scheme=self.scheme, host=self.host, port=self.port, raw_path=raw)
        if url.host != self.host.strip("[]") or url.scheme != self.scheme:
            raise ProviderError(
                f"refusing {url}: it leaves {self.host}", code="provider-url-invalid"
            )
        return url

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        port = f":{self.port}" if self.port is not None else ""
        return f"{self.scheme}://{host}{port}{self.path}"


def parse_base_url(text: str, *, allow_remote: bool = False, what: str = "--base-url") -> BaseUrl:
    """Check a provider's base URL.

    Raises:
        ProviderError: ``provider-url-invalid`` (not an http(s) URL with a host, or it
            carries credentials, a query or a fragment) or ``provider-remote-refused``
            (not a loopback address and ``allow_remote`` is false).
    """

    def bad(why: str) -> ProviderError:
        return ProviderError(f"{what} {text!r}: {why}", code="provider-url-invalid")

    if not isinstance(text, str):
        raise bad("not a URL string")
    if _bad_char(text):
        raise bad("control or whitespace characters")
    try:
        parts = urlsplit(text)
    except ValueError as exc:  # an unclosed IPv6 bracket: "http://[::1"
        raise bad(str(exc)) from None
    if parts.scheme not in ("http", "https"):
        raise bad("only http:// and https:// base URLs are accepted")
    if parts.username is not None or parts.password is not None:
        raise bad("credentials in the URL are refused (pass headers instead)")
    if parts.query or parts.fragment or "?" in text or "#" in text:
        raise bad("a base URL has no query or fragment")
    host = parts.hostname
    if not host:
        raise bad("no host")
    try:
        port = parts.port
    except ValueError:
        raise bad("bad port") from None
    if "\\" in parts.path or "%" in parts.path:
        raise bad("the base path may not contain '\\' or percent-escapes")
    base_path = parts.path.rstrip("/")
    if base_path:
        check_path(base_path)
    if not allow_remote and not _is_loopback(host):
        raise ProviderError(
            f"{what} {text!r} is not a loopback address; verifying a remote provider "
            "needs --allow-remote-provider",
            code="provider-remote-refused",
        )
    return BaseUrl(parts.scheme, host, port, base_path)


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


# -- targets ----------------------------------------------------------------------------


def _headers(raw: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, value in raw.multi_items():
        key = name.lower()
        out[key] = f"{out[key]}, {value}" if key in out else value
    return out


def _bounded_send(
    client: Any,
    method: str,
    url: Any,
    limits: Limits,
    *,
    headers: Sequence[tuple[str, str]] = (),
    content: bytes | None = None,
) -> Response:
    """One request whose whole exchange (connect, headers, body) ends within
    ``limits.timeout`` seconds and reads at most ``limits.max_response_bytes``.

    httpx's timeout applies to each read, so a server dripping a byte at a time never
    trips it: the exchange runs in a daemon thread that stops reading at the deadline
    or the cap, and the caller stops waiting at the deadline whatever the thread does.

    Raises:
        ReplayError: too slow, too large, or the request failed.
    """
    import httpx

    start = time.monotonic()
    deadline = start + limits.timeout if limits.timeout > 0 else None
    box: dict[str, Any] = {}
    headers = _asking_identity(headers)

    def run() -> None:
        try:
            with client.stream(method, url, headers=list(headers), content=content) as resp:
                raw = _read_capped(resp.iter_raw(), limits, deadline)
                answered = _headers(resp.headers)
                body = _decoded(
                    raw, answered.get("content-encoding", ""), limits.max_response_bytes
                )
                box["response"] = Response(
                    resp.status_code, answered, body, time.monotonic() - start
                )
        except ReplayError as exc:
            box["error"] = exc
        except httpx.HTTPError as exc:
            box["error"] = ReplayError(f"{type(exc).__name__}: {exc or 'request failed'}")
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
            box["error"] = exc

    worker = threading.Thread(target=run, name="accord-http", daemon=True)
    worker.start()
    worker.join(None if deadline is None else max(0.0, deadline - time.monotonic()))
    if worker.is_alive():
        raise ReplayError(f"no complete response within {limits.timeout} s")
    if "error" in box:
        raise box["error"]
    response: Response = box["response"]
    return response


def _asking_identity(headers: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """``headers`` asking for the body as it is: httpx asks for gzip/deflate (and more)
    by default, and answers are read raw, then decoded within the cap, unless the
    interaction names an encoding itself."""
    if any(name.lower() == "accept-encoding" for name, _ in headers):
        return list(headers)
    return [*headers, ("Accept-Encoding", "identity")]


def _read_capped(chunks: Iterable[bytes], limits: Limits, deadline: float | None = None) -> bytes:
    """The raw body, read no further than one chunk past ``limits.max_response_bytes``.

    Raises:
        ReplayError: more than the cap, or (with a ``deadline``) past it.
    """
    out: list[bytes] = []
    size = 0
    for chunk in chunks:
        size += len(chunk)
        if size > limits.max_response_bytes:
            raise ReplayError(f"response larger than {limits.max_response_bytes} bytes")
        if deadline is not None and time.monotonic() > deadline:
            raise ReplayError(f"response took longer than {limits.timeout} s")
        out.append(chunk)
    return b"".join(out)


def _decoded(raw: bytes, encoding: str, cap: int) -> bytes:
    """``raw`` undone of its ``Content-Encoding`` within ``cap`` bytes
    (:func:`~accord.core.encoding.undo_content_encoding`).

    Raises:
        ReplayError: another encoding, bytes that do not decode, or more than ``cap``.
    """
    from accord.core.encoding import Undecodable, undo_content_encoding

    try:
        return undo_content_encoding(raw, encoding, cap)
    except Undecodable as exc:
        coding = exc.coding
        raise ReplayError(
            {
                "unsupported": f"response compressed with {coding!r}: accord reads "
                "identity, gzip or deflate answers (it asks for identity)",
                "invalid": f"response body is not valid {coding}: {exc.detail}",
                "too-large": f"response larger than {cap} bytes (decoded from {coding})",
                "cut": f"response body in {coding} is cut short or has trailing data",
            }[exc.kind]
        ) from None


class HttpTarget:
    """A provider running at a base URL."""

    def __init__(self, base: BaseUrl, limits: Limits | None = None) -> None:
        import httpx

        self.base = base
        self.limits = limits or Limits()
        self.description = str(base)
        # trust_env=False: no proxy from the environment may see (or redirect) the traffic.
        self._client = httpx.Client(
            trust_env=False, follow_redirects=False, timeout=self.limits.timeout
        )

    def send(self, request: Request) -> Response:
        return _bounded_send(
            self._client,
            request.method,
            self.base.url(request),
            self.limits,
            headers=request.headers,
            content=request.body,
        )

    def close(self) -> None:
        self._client.close()


class WsgiTarget:
    """A WSGI app in process (``httpx.WSGITransport``), each request under the time cap."""

    def __init__(self, app: Any, limits: Limits | None = None) -> None:
        import httpx

        self.limits = limits or Limits()
        self.description = f"WSGI app {_name(app)}"
        self._client = httpx.Client(
            transport=httpx.WSGITransport(app=app),
            base_url="http://localhost",
            follow_redirects=False,
            trust_env=False,
        )
        self._base = BaseUrl("http", "localhost", None, "")

    def send(self, request: Request) -> Response:
        box: dict[str, Any] = {}

        def run() -> None:
            try:
                # Streamed: the app's iterable is read no further than the cap (an app
                # yielding without end is not read into memory), and closed after.
                with self._client.stream(
                    request.method,
                    self._base.url(request),
                    headers=_asking_identity(request.headers),
                    content=request.body,
                ) as resp:
                    raw = _read_capped(resp.iter_raw(), self.limits)
                    box["response"] = (resp.status_code, _headers(resp.headers), raw)
            except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
                box["error"] = exc

        start = time.monotonic()
        if self.limits.timeout <= 0:
            run()
        else:
            # A daemon thread: a hung app cannot keep the verifier from reporting.
            worker = threading.Thread(target=run, name="accord-wsgi", daemon=True)
            worker.start()
            worker.join(self.limits.timeout)
            if worker.is_alive():
                raise ReplayError(f"the app did not answer within {self.limits.timeout} s")
        if "error" in box:
            exc = box["error"]
            if isinstance(exc, ReplayError):
                raise exc
            raise ReplayError(f"the app raised {type(exc).__name__}: {exc}") from exc
        status, headers, raw = box["response"]
        cap = self.limits.max_response_bytes
        body = _decoded(raw, headers.get("content-encoding", ""), cap)
        return Response(status, headers, body, time.monotonic() - start)

    def close(self) -> None:
        self._client.close()


class AsgiTarget:
    """An ASGI app in process, on one private event loop, with its lifespan run."""

    def __init__(self, app: Any, limits: Limits | None = None) -> None:
        import httpx

        self.limits = limits or Limits()
        self.description = f"ASGI app {_name(app)}"
        self._app = app
        self._loop = asyncio.new_event_loop()
        self._client = httpx.AsyncClient(
            # httpx's ASGI transport keeps every body chunk until the app ends: the
            # app's sends are capped before they reach it.
            transport=httpx.ASGITransport(app=_CappedApp(app, self.limits.max_response_bytes)),
            base_url="http://localhost",
            follow_redirects=False,
            trust_env=False,
        )
        self._base = BaseUrl("http", "localhost", None, "")
        self._lifespan: _Lifespan | None = _Lifespan(app)
        try:
            started = self._loop.run_until_complete(self._lifespan.startup(self.limits.timeout))
        except BaseException:
            self._loop.close()
            raise
        if not started:
            self._lifespan = None

    def send(self, request: Request) -> Response:
        start = time.monotonic()

        async def go() -> tuple[int, dict[str, str], bytes]:
            async with self._client.stream(
                request.method,
                self._base.url(request),
                headers=_asking_identity(request.headers),
                content=request.body,
            ) as resp:
                raw = b"".join([chunk async for chunk in resp.aiter_raw()])
                return resp.status_code, _headers(resp.headers), raw

        cap = self.limits.max_response_bytes
        try:
            coro = asyncio.wait_for(go(), self.limits.timeout) if self.limits.timeout > 0 else go()
            status, headers, raw = self._loop.run_until_complete(coro)
        except TimeoutError:
            raise ReplayError(f"the app did not answer within {self.limits.timeout} s") from None
        except _OverCap:
            raise ReplayError(f"response larger than {cap} bytes") from None
        except ProviderError:
            raise
        except Exception as exc:
            raise ReplayError(f"the app raised {type(exc).__name__}: {exc}") from exc
        body = _decoded(raw, headers.get("content-encoding", ""), cap)
        return Response(status, headers, body, time.monotonic() - start)

    def close(self) -> None:
        try:
            if self._lifespan is not None:
                self._loop.run_until_complete(self._lifespan.shutdown(self.limits.timeout))
            self._loop.run_until_complete(self._client.aclose())
        finally:
            self._loop.close()


class _OverCap(Exception):
    """An in-process app's response went over the byte cap."""


class _CappedApp:
    """An ASGI app whose response body is cut at ``cap`` bytes: the send that takes it
    past raises :class:`_OverCap`, and so does every later one, forwarding nothing (an
    app that catches it and sends on fills no buffer); once the app returns, the call
    raises it too, so the response never reads as complete."""

    def __init__(self, app: Any, cap: int) -> None:
        self.app = app
        self.cap = cap

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        size = 0
        over = False

        async def capped(message: Any) -> None:
            nonlocal size, over
            if message.get("type") == "http.response.body":
                size += len(message.get("body", b""))
                over = over or size > self.cap
            if over:
                raise _OverCap
            await send(message)

        await self.app(scope, receive, capped)
        if over:
            raise _OverCap


class _Lifespan:
    """Runs an ASGI app's lifespan protocol (startup before replay, shutdown after)."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.inbox: asyncio.Queue[dict[str, Any]] | None = None
        self.outbox: asyncio.Queue[dict[str, Any]] | None = None
        self.task: asyncio.Task[None] | None = None

    async def startup(self, timeout: float) -> bool:
        self.inbox, self.outbox = asyncio.Queue(), asyncio.Queue()
        inbox, outbox = self.inbox, self.outbox

        async def run() -> None:
            with contextlib.suppress(Exception):
                await self.app(
                    {"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}},
                    inbox.get,
                    outbox.put,
                )
            await outbox.put({"type": "lifespan.unsupported"})

        self.task = asyncio.ensure_future(run())
        await inbox.put({"type": "lifespan.startup"})
        message = await asyncio.wait_for(outbox.get(), timeout or None)
        if message["type"] == "lifespan.startup.failed":
            raise ProviderError(
                f"the app's startup failed: {message.get('message', '')}",
                code="provider-app-invalid",
            )
        return bool(message["type"] == "lifespan.startup.complete")

    async def shutdown(self, timeout: float) -> None:
        if self.inbox is None or self.outbox is None or self.task is None:
            return
        await self.inbox.put({"type": "lifespan.shutdown"})
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.outbox.get(), timeout or None)
        self.task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await self.task


def _name(app: Any) -> str:
    return getattr(app, "__qualname__", None) or type(app).__qualname__


def _is_asgi(app: Any) -> bool:
    import inspect

    if inspect.iscoroutinefunction(app):
        return True
    call = getattr(app, "__call__", None)  # noqa: B004 - instances with async __call__
    return inspect.iscoroutinefunction(call)


def app_target(app: Any, limits: Limits | None = None, *, kind: str | None = None) -> Target:
    """An in-process target for ``app``: ASGI when its call is a coroutine, else WSGI.

    Raises:
        ProviderError: ``provider-app-invalid`` when ``app`` is not callable.
    """
    if not callable(app):
        raise ProviderError(
            f"the provider app {app!r} is not an ASGI or WSGI application (not callable)",
            code="provider-app-invalid",
        )
    if kind == "asgi" or (kind is None and _is_asgi(app)):
        return AsgiTarget(app, limits)
    return WsgiTarget(app, limits)


class StateChangeUrl:
    """Provider states set up by the provider itself, as Pact does: ``POST`` of
    ``{"state", "params", "action": "setup"|"teardown"}`` to a URL of the provider.

    A JSON object in the setup response supplies values for the interaction's
    generators. The URL obeys the base-URL rules (loopback unless allowed).
    """

    def __init__(self, url: BaseUrl, limits: Limits | None = None) -> None:
        import httpx

        self.url = url
        self.limits = limits or Limits()
        self._client = httpx.Client(
            trust_env=False, follow_redirects=False, timeout=self.limits.timeout
        )

    def _post(self, payload: dict[str, Any]) -> Any:
        import httpx

        from accord.provider._states import StateFailed

        target = httpx.URL(str(self.url) or "/")
        try:
            resp = _bounded_send(
                self._client,
                "POST",
                target,
                self.limits,
                headers=[("Content-Type", "application/json")],
                content=json.dumps(payload).encode(),
            )
        except ReplayError as exc:
            raise StateFailed(f"state-change URL {self.url}: {exc}") from exc
        # Only a success sets the state up, as Pact's verifiers decide: a redirect
        # (never followed) is an endpoint that did something else, a login page.
        if not 200 <= resp.status < 300:
            raise StateFailed(
                f"state-change URL {self.url} answered {resp.status} to "
                f"{payload['action']} of {payload['state']!r}"
            )
        # The provider's answer, read strictly: Python's json.loads raised RecursionError
        # on deep nesting, took NaN and let the last of two keys win. What the strict
        # reader refuses gives no values, as a body that is not JSON at all.
        from accord.core.jsondoc import loads
        from accord.errors import DocumentError

        try:
            return loads(resp.body, max_bytes=None) if resp.body else None
        except DocumentError:
            return None

    def setup(self, name: str, params: Mapping[str, Any]) -> tuple[dict[str, Any], Any]:
        body = self._post({"state": name, "params": dict(params), "action": "setup"})
        values = dict(body) if isinstance(body, dict) else {}

        def teardown() -> None:
            self._post({"state": name, "params": dict(params), "action": "teardown"})

        return values, teardown

    def missing(self, names: Sequence[str]) -> list[str]:
        return []

    def close(self) -> None:
        self._client.close()
