"""FastAPI (and any ASGI app): validate chosen routes' bodies against contracts.

Needs the ``fastapi`` extra for :func:`body`; :class:`ContractMiddleware` is plain ASGI
and works under any Starlette/ASGI app.

Two ways in:

- :class:`ContractMiddleware` validates the request body and the JSON response body of
  the routes you list, keyed ``"METHOD /path/template"``::

      app.add_middleware(
          ContractMiddleware,
          routes={"POST /orders": {"request": "orders.place-order@^1",
                                   "response": {201: "orders.order-placed@^1"}}},
          registry="contracts",
          sample_rate=1.0,      # production: e.g. 0.01 validates 1% of requests
          log_only=False,       # production: True logs violations and changes nothing
      )

  A request that violates its contract gets a ``422`` shaped like FastAPI's own
  validation errors (``{"detail": [{"loc": ["body", ...], "msg": ..., "type":
  "contract_violation"}], "contract": ref}``); a response that violates its contract is
  replaced by a ``500`` naming the contract and every error (in tests this is what you
  want to see; in production use ``log_only=True``). Violations are always logged on
  the ``accord.fastapi`` logger (the sender's text in it escaped, one line each).

- :func:`body` is a dependency returning the request's JSON payload once it is valid::

      @app.post("/orders")
      def place(payload: Annotated[dict, Depends(body("orders.place-order@^1"))]): ...

Validators are built when the middleware is created, compiled once and shared; nothing
is fetched. A bad reference, or a route key that matches no route of the app
(``"GET /itemz/{sku}"`` would silently never be checked), fails the app's startup (the
ASGI lifespan reports ``lifespan.startup.failed``; without a lifespan, every request
fails), or the construction when the middleware is wrapped around an app directly.
"""

from __future__ import annotations

import difflib
import json
import logging
import os
import random
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from accord.errors import AccordError, UsageError

if TYPE_CHECKING:
    from accord.errors import ValidationIssue
    from accord.registry.model import Registry
    from accord.validation.validator import Validator

__all__ = ["ContractMiddleware", "RouteContract", "body", "violation_detail"]

logger = logging.getLogger("accord.fastapi")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_MAX_BODY = 16 * 1024 * 1024  # a request body larger than this is not buffered: 413


@dataclass(frozen=True)
class RouteContract:
    """The contracts of one route.

    Attributes:
        request: The request body's contract reference, if checked.
        response: The response body's contract: one reference for every 2xx JSON
            response but 204 and 205 (no content), or status code -> reference (a
            status without content, 1xx, 204, 205 or 304, is refused).
    """

    request: str | None = None
    response: str | Mapping[int, str] | None = None

    def response_ref(self, status: int) -> str | None:
        if self.response is None:
            return None
        if isinstance(self.response, str):
            return self.response if 200 <= status < 300 and status not in _NO_CONTENT else None
        return self.response.get(status)


# Statuses whose responses carry no content (RFC 9110): no JSON body to check. FastAPI
# answers status_code=204 with its JSON media type and an empty body.
_NO_CONTENT = frozenset({204, 205, 304})


def _route_contract(key: str, value: object) -> RouteContract:
    """The route's contracts, or ``UsageError`` for a shape that cannot be read: a
    response keyed by something no response has as its status would silently never be
    checked (``True`` is the int 1 to Python), as would a route of no contract."""
    if isinstance(value, str):
        return RouteContract(request=value)
    if isinstance(value, RouteContract):
        spec = value
    elif isinstance(value, Mapping):
        unknown = set(value) - {"request", "response"}
        if unknown:
            raise UsageError(
                f"route {key!r}: contract keys are 'request' and 'response', "
                f"not {sorted(map(repr, unknown))}",
                code="usage",
            )
        spec = RouteContract(request=value.get("request"), response=value.get("response"))
    else:
        raise UsageError(
            f"route {key!r}: expected a reference, a RouteContract or a dict with "
            f"'request'/'response' keys, not {type(value).__name__}",
            code="usage",
        )
    if spec.request is None and not spec.response:
        # A route of no contract reads as validated and never is.
        raise UsageError(
            f"route {key!r} names no contract (no 'request', no 'response' status): "
            "nothing on it would be checked; give it one, or leave the route out",
            code="usage",
        )
    response = spec.response
    if response is None or isinstance(response, str):
        return spec
    if not isinstance(response, Mapping):
        raise UsageError(
            f"route {key!r}: 'response' is a reference or a mapping status code -> "
            f"reference, not {type(response).__name__}",
            code="usage",
        )
    statuses: dict[int, Any] = {}
    for status, ref in response.items():
        code = _status_code(key, status)
        if code in statuses:
            raise UsageError(
                f"route {key!r}: response status {code} is given twice ({status!r} and an "
                "earlier key), so one of its contracts would never be checked",
                code="usage",
            )
        statuses[code] = ref
    return RouteContract(request=spec.request, response=statuses)


def _status_code(key: str, status: object) -> int:
    """An HTTP status (100..599) given as an int or a string of ASCII digits."""
    if isinstance(status, str) and status.strip().isascii() and status.strip().isdigit():
        status = int(status)
    if isinstance(status, bool) or not isinstance(status, int) or not 100 <= status <= 599:
        raise UsageError(
            f"route {key!r}: response status {status!r} is not an HTTP status code "
            "(100..599), so that contract would never be checked",
            code="usage",
        )
    if status < 200 or status in _NO_CONTENT:
        raise UsageError(
            f"route {key!r}: a {status} response has no content, so no contract can check it",
            code="usage",
        )
    return status


def violation_detail(
    ref: str,
    issues: list[ValidationIssue],
    *,
    where: str,
    omitted: int = 0,
    omitted_lower_bound: bool = False,
) -> dict[str, Any]:
    """A FastAPI-shaped error body: ``{"detail": [{"loc", "msg", "type"}], "contract"}``.

    When the validator listed only its first ``max_errors`` errors, ``"omitted"`` says
    how many more it found (``"omitted_lower_bound": true``: at least that many).
    """
    from accord.core.pointer import split

    problem: dict[str, Any] = {
        "detail": [
            {
                "loc": [where, *split(issue.instance_path)],
                "msg": issue.message,
                "type": "contract_violation",
                "keyword": issue.keyword,
                "schema_path": issue.schema_path,
            }
            for issue in issues
        ],
        "contract": ref,
    }
    if omitted or omitted_lower_bound:
        problem["omitted"] = omitted
        problem["omitted_lower_bound"] = omitted_lower_bound
    return problem


def _json_media(headers: list[tuple[bytes, bytes]]) -> bool | None:
    """Whether a response's body is to be read as JSON: True when any Content-Type
    header says JSON (with several, clients differ on which one wins, so the response
    is checked) or is not one media type (a list such as ``text/html,
    application/json``, which browsers read as its last type, or junk after the
    parameters: :func:`~accord.core.media.parse_media_type`), False when each names
    one other media type, ``None`` when there is none (a client reads such a body as
    JSON, so a non-empty one is checked)."""
    from accord.core.media import parse_media_type

    types = [value for name, value in headers if bytes(name).lower() == b"content-type"]
    if not types:
        return None
    for value in types:
        media = parse_media_type(bytes(value))
        if media is None or media.subtype == "json" or media.subtype.endswith("+json"):
            return True
    return False


def _foreign_charset(headers: list[tuple[bytes, bytes]]) -> str | None:
    """The charset a JSON Content-Type states when it is not UTF-8: JSON is UTF-8 (RFC
    8259), the body is checked as UTF-8, and a client honouring the parameter (requests'
    ``json()``) decodes it as other text (``é`` as ``Ã©``), which was never checked."""
    from accord.core.media import parse_media_type

    for name, value in headers:
        if bytes(name).lower() != b"content-type":
            continue
        media = parse_media_type(bytes(value))
        charset = media.parameter("charset") if media is not None else None
        if charset is not None and charset.lower() != "utf-8":
            return charset
    return None


@dataclass
class _Compiled:
    request: Validator | None
    responses: dict[str, Validator] = field(default_factory=dict)
    spec: RouteContract = field(default_factory=RouteContract)


class ContractMiddleware:
    """ASGI middleware validating request and response bodies of chosen routes.

    Args:
        app: The ASGI app (FastAPI passes it when you call ``app.add_middleware``).
        routes: ``"METHOD /path/template"`` -> a :class:`RouteContract`, a dict with
            ``request``/``response`` keys, or a reference (request only). The path is
            the route's template as declared (``/orders/{order_id}``).
        registry: A registry or its directory (default: discovery).
        sample_rate: Fraction of requests checked (0..1); 1.0 in tests.
        log_only: Log violations and pass everything through unchanged.
        rng: Source of randomness for sampling (tests make it deterministic).
        max_body: Largest body checked, in bytes (16 MiB): a larger request body on a
            checked route is answered ``413``, a larger checked response is replaced
            by a ``500`` (with ``log_only``: both logged and passed on unchecked).

    Raises:
        UsageError: a bad route key, or an option of another type (``log_only`` not a
            bool, ``sample_rate`` not a number within 0..1, ``max_body`` not a positive
            int, ``rng`` not callable); ``route-unknown`` at startup for a key matching
            no route of the app (with the close ones).
        ContractNotFound, VersionNotFound: a reference does not resolve (at boot).
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        routes: Mapping[str, RouteContract | Mapping[str, Any] | str],
        registry: Registry | str | os.PathLike[str] | None = None,
        sample_rate: float = 1.0,
        log_only: bool = False,
        rng: Callable[[], float] = random.random,
        max_body: int = _MAX_BODY,
    ) -> None:
        from accord.registry.model import registry_or_root_argument
        from accord.registry.runtime import _registry_for, validator

        registry = registry_or_root_argument(registry)
        self.app = app
        self.sample_rate = sample_rate
        self.log_only = log_only
        self.max_body = max_body
        self._rng = rng
        self._routes: dict[tuple[str, str], _Compiled] = {}
        self._startup_error: AccordError | None = None
        self._routes_checked = False
        try:
            _check_options(sample_rate=sample_rate, log_only=log_only, rng=rng)
            _check_max_body(max_body)
            reg = _registry_for(registry)
            if not isinstance(routes, Mapping):
                raise UsageError(
                    "routes must map 'METHOD /path/template' to contracts, "
                    f"not {type(routes).__name__}",
                    code="usage",
                )
            if not routes:
                raise UsageError(
                    "routes is empty: the middleware would check no request or response "
                    "against any contract (no contract); map 'METHOD /path/template' to one",
                    code="usage",
                )
            for key, value in routes.items():
                method, _, path = (
                    key.strip().partition(" ") if isinstance(key, str) else ("", "", "")
                )
                if not method or not path.startswith("/"):
                    raise UsageError(
                        f"route key {key!r}: expected 'METHOD /path/template', e.g. 'POST /orders'",
                        code="usage",
                    )
                spec = _route_contract(key, value)
                if method.upper() == "HEAD" and spec.response:
                    # RFC 9110 9.3.2: a HEAD response has no content, so a response
                    # contract would fail every answer (500 on the empty body).
                    raise UsageError(
                        f"route key {key!r}: a HEAD response has no content, so no response "
                        "contract can check it (give the contract to the GET route)",
                        code="usage",
                    )
                if method.upper() == "HEAD" and spec.request:
                    # Nor has content in a HEAD request defined semantics: a request
                    # contract would refuse every HEAD (422 on the empty body).
                    raise UsageError(
                        f"route key {key!r}: a HEAD request carries no content, so no request "
                        "contract can check it",
                        code="usage",
                    )
                compiled = _Compiled(
                    request=validator(spec.request, registry=reg) if spec.request else None,
                    spec=spec,
                )
                refs = (
                    [spec.response]
                    if isinstance(spec.response, str)
                    else list((spec.response or {}).values())
                )
                for ref in refs:
                    compiled.responses[ref] = validator(ref, registry=reg)
                for check in [compiled.request, *compiled.responses.values()]:
                    _note_yanked(reg, check, key)
                route = (method.upper(), path.strip())
                if route in self._routes:
                    # The later would replace the earlier: its contracts never checked.
                    raise UsageError(
                        f"route key {key!r} names {route[0]} {route[1]} again: give each "
                        "route one key, with both 'request' and 'response'",
                        code="usage",
                    )
                self._routes[route] = compiled
        except AccordError as exc:
            if hasattr(app, "router"):  # wrapped around an app directly: fail right here
                raise
            # Built by Starlette's middleware stack (app.add_middleware) inside the first
            # ASGI call, the lifespan startup, where uvicorn's default lifespan="auto"
            # reads any exception as "lifespan unsupported" and serves anyway: fail the
            # startup explicitly instead (and every request, where there is no lifespan).
            self._startup_error = exc

    def _problem(self, scope: Scope) -> AccordError | None:
        """The configuration error to fail startup (or a request) with, if any: a bad
        reference, or a route key that matches no route of the app."""
        if self._startup_error is not None or self._routes_checked:
            return self._startup_error
        self._routes_checked = True
        router = getattr(scope.get("app"), "router", None)
        declared = _declared_routes(getattr(router, "routes", None))
        if declared is None:
            return None
        for method, path in self._routes:
            key = f"{method} {path}"
            # Under a mounted app without a router only an exact path can be matched.
            under_mount = "{" not in path and any(path.startswith(m) for m in declared[""])
            if key in declared or under_mount:
                continue
            close = difflib.get_close_matches(key, sorted(k for k in declared if k), n=3)
            hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
            self._startup_error = UsageError(
                f"ContractMiddleware route key {key!r} matches no route of the app, so it "
                f"would never be validated{hint}",
                code="route-unknown",
            )
            break
        return self._startup_error

    def _match(self, scope: Scope) -> _Compiled | None:
        method = str(scope.get("method", "")).upper()
        # The route Starlette dispatches to decides, even for a path that is itself a
        # key: a route declared earlier may match it first (/items/{sku} before
        # /items/special), and its handler is the one that reads the body.
        routes = getattr(getattr(scope.get("app"), "router", None), "routes", None)
        template = _dispatched_template(routes, scope, "")
        if template is not None:
            compiled = self._routes.get((method, template))
            get = self._routes.get(("GET", template))
            if compiled is None and method == "HEAD" and get is not None and get.request:
                # Starlette's Route answers HEAD with the GET handler (it adds HEAD to a
                # GET route): the body that handler reads is checked as GET's. A HEAD
                # answer has no content, so no response contract applies.
                return _Compiled(request=get.request, spec=RouteContract(get.spec.request))
            return compiled
        # No route names it (a mounted app without a router): only its exact path.
        return self._routes.get((method, str(scope.get("path", ""))))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope.get("type") == "lifespan":
            await self.app(scope, receive, self._failing_startup(scope, send))
            return
        if scope.get("type") != "http":
            await self.app(scope, receive, send)
            return
        failure = self._problem(scope)
        if failure is not None:
            raise failure
        compiled = self._match(scope)
        if compiled is None or (self.sample_rate < 1.0 and self._rng() >= self.sample_rate):
            await self.app(scope, receive, send)
            return
        request = compiled.request
        coding = "" if request is None else _content_encoding(scope.get("headers", []))
        if request is not None and coding:
            # A compressed body is not checked (the app would be handed bytes accord
            # never read as JSON): refused as a media type, naming the encoding.
            encoded = _encoded_request(request.ref, coding)
            _log("request", scope, request.ref, encoded)
            if not self.log_only:
                await _send_json(send, 415, encoded)
                return
        elif compiled.request is not None:
            try:
                data, more = await _read_body(receive, self.max_body)
            except _Disconnected:
                return  # nobody to answer, and no whole body to pass on
            if more or len(data) > self.max_body:
                # Too big to check is refused, not let through unchecked (fail closed);
                # the last message may carry it past the cap (or the whole body).
                too_large = _too_large(compiled.request.ref, self.max_body)
                _log("request", scope, compiled.request.ref, too_large)
                if not self.log_only:
                    await _send_json(send, 413, too_large)
                    return
            else:
                _payload, problem = _check(compiled.request, data, where="body")
                if problem is not None:
                    _log("request", scope, compiled.request.ref, problem)
                    if not self.log_only:
                        await _send_json(send, 422, problem)
                        return
            receive = _replay(data, more, receive)
        if compiled.responses:
            send = self._checking_send(scope, compiled, send)
        await self.app(scope, receive, send)

    def _failing_startup(self, scope: Scope, send: Send) -> Send:
        failed = False

        async def startup(message: Message) -> None:
            nonlocal failed
            if failed:
                return  # the app's own report of the error raised below: sent once
            if message.get("type") == "lifespan.startup.complete":
                problem = self._problem(scope)
                if problem is not None:
                    logger.error("startup failed: %s", problem.message)
                    failed = True
                    await send({"type": "lifespan.startup.failed", "message": problem.message})
                    # A server sends no lifespan.shutdown after a failed startup: it
                    # waits for the lifespan to end (Starlette's TestClient re-raises
                    # this, uvicorn exits). Raised into the app's lifespan, as Starlette
                    # does with a startup error, so its shutdown handlers run and it ends.
                    raise problem
            await send(message)

        return startup

    def _checking_send(self, scope: Scope, compiled: _Compiled, send: Send) -> Send:
        state: dict[str, Any] = {
            "start": None,
            "chunks": [],
            "size": 0,
            "validator": None,
            "untyped": False,  # the response names no Content-Type
            "encoding": "",  # its Content-Encoding, lower case ("" for none)
            "charset": None,  # a charset its Content-Type states other than UTF-8
            "over": None,  # "passed" or "refused" once the body went over max_body or
            # came in a form that cannot be checked
            "done": False,  # the last body chunk arrived (and was judged)
        }

        async def checking(message: Message) -> None:
            kind = message.get("type")
            if kind == "http.response.start":
                status = int(message.get("status", 0))
                ref = compiled.spec.response_ref(status)
                media = _json_media(list(message.get("headers", [])))
                if ref is None or media is False:
                    await send(message)
                    return
                state["start"] = message
                state["untyped"] = media is None
                state["encoding"] = _content_encoding(list(message.get("headers", [])))
                state["charset"] = _foreign_charset(list(message.get("headers", [])))
                state["validator"] = compiled.responses[ref]
                return
            held = state["start"] is not None and not state["done"] and state["over"] is None
            if held and kind != "http.response.body":
                # The body comes another way (http.response.pathsend, zero-copy send):
                # it cannot be checked, so it is not let through unchecked.
                await self._unreadable(scope, state, send, message)
                return
            if kind != "http.response.body" or state["start"] is None:
                await send(message)
                return
            if state["over"] == "passed":
                await send(message)
                return
            if state["over"] == "refused":
                return
            chunk = message.get("body", b"")
            state["chunks"].append(chunk)
            state["size"] += len(chunk)
            more = bool(message.get("more_body", False))
            if state["size"] > self.max_body:
                # Too big to buffer and check: never held in memory past the cap.
                await self._over_cap(scope, state, send, more=more)
                return
            if more:
                return
            state["done"] = True
            data = b"".join(state["chunks"])
            if state["untyped"] and not data:  # no body and no media type: nothing to read
                await send(state["start"])
                await send({"type": "http.response.body", "body": data, "more_body": False})
                return
            check: Validator = state["validator"]
            plain = _decoded(data, state["encoding"], self.max_body)
            if state["charset"] is not None:
                plain = _encoding_issue(
                    f"the response says charset={state['charset']}: JSON is UTF-8 and is "
                    "checked as UTF-8, so a client honouring the charset reads other text"
                )
            if isinstance(plain, bytes):
                _payload, problem = _check(check, plain, where="response")
            else:
                problem = violation_detail(check.ref, [plain], where="response")
            if problem is not None:
                _log("response", scope, check.ref, problem)
                if not self.log_only:
                    await _send_json(send, 500, {"error": "response violates contract", **problem})
                    return
            await send(state["start"])
            await send({"type": "http.response.body", "body": data, "more_body": False})

        return checking

    async def _unreadable(
        self, scope: Scope, state: dict[str, Any], send: Send, message: Message
    ) -> None:
        check: Validator = state["validator"]
        kind = message.get("type")
        issue = _encoding_issue(f"the response body is sent as {kind}, which cannot be checked")
        problem = violation_detail(check.ref, [issue], where="response")
        _log("response", scope, check.ref, problem)
        if self.log_only:
            state["over"] = "passed"
            await send(state["start"])
            await send(message)
            return
        state["over"] = "refused"
        await _send_json(send, 500, {"error": "response cannot be checked", **problem})

    async def _over_cap(
        self, scope: Scope, state: dict[str, Any], send: Send, *, more: bool
    ) -> None:
        check: Validator = state["validator"]
        problem = violation_detail(
            check.ref,
            [_size_issue(f"the response body is larger than {self.max_body} bytes")],
            where="response",
        )
        _log("response", scope, check.ref, problem)
        data = b"".join(state["chunks"])
        state["chunks"] = []
        if self.log_only:
            state["over"] = "passed"
            await send(state["start"])
            await send({"type": "http.response.body", "body": data, "more_body": more})
            return
        state["over"] = "refused"
        await _send_json(send, 500, {"error": "response too large to check", **problem})


def _check_options(*, sample_rate: Any, log_only: Any, rng: Any) -> None:
    """``UsageError`` for an option of another type: a config's text ``"false"`` for
    ``log_only`` would be read as true (every violation only logged and passed on)."""
    if not isinstance(log_only, bool):
        raise UsageError(f"log_only must be True or False, not {log_only!r}", code="usage")
    if (
        isinstance(sample_rate, bool)
        or not isinstance(sample_rate, int | float)
        or not 0.0 <= sample_rate <= 1.0
    ):
        raise UsageError(
            f"sample_rate must be a number within 0..1, not {sample_rate!r}", code="usage"
        )
    if not callable(rng):
        raise UsageError(f"rng must be callable, not {type(rng).__name__}", code="usage")


def _check_max_body(max_body: Any) -> None:
    if isinstance(max_body, bool) or not isinstance(max_body, int) or max_body < 1:
        raise UsageError(f"max_body must be a positive integer, not {max_body!r}", code="usage")


def _note_yanked(reg: Registry, check: Validator | None, where: str) -> None:
    """Log a route's exact pin to a yanked version: the pin keeps working (only ranges
    skip yanked versions), but a yank says it should not be relied on, and
    :func:`accord.require` notes the same."""
    if check is None:
        return
    yanked = reg.get(check.ref).yanked
    if yanked is not None:
        logger.warning("%s: %s is yanked (%s): move to a newer version", where, check.ref, yanked)


def _content_encoding(headers: list[tuple[bytes, bytes]]) -> str:
    """The response's Content-Encoding, lower case, ``""`` for none or ``identity``
    (several headers are one comma-separated list, applied in order)."""
    codings = [
        part.strip().lower()
        for name, value in headers
        if bytes(name).lower() == b"content-encoding"
        for part in bytes(value).decode("latin-1").split(",")
    ]
    return ", ".join(c for c in codings if c and c != "identity")


def _decoded(data: bytes, encoding: str, cap: int) -> bytes | ValidationIssue:
    """The body a client reads once it undoes ``encoding`` (an app compressing inside
    the middleware, e.g. GZipMiddleware added first), or why it cannot be checked
    (:func:`~accord.core.encoding.undo_content_encoding`: inflated at most to ``cap``
    bytes, so a compression bomb is refused like a large body)."""
    from accord.core.encoding import Undecodable, undo_content_encoding

    try:
        return undo_content_encoding(data, encoding, cap)
    except Undecodable as exc:
        coding = exc.coding
        if exc.kind == "too-large":
            return _size_issue(f"the response body is larger than {cap} bytes once decoded")
        return _encoding_issue(
            {
                "unsupported": f"the response is Content-Encoding {coding!r}, which "
                "ContractMiddleware cannot read (gzip and deflate only): add the "
                "compression middleware after it",
                "invalid": f"the response is not valid {coding} ({exc.detail})",
                "cut": f"the {coding} response is cut short or has trailing data",
            }[exc.kind]
        )


def _encoding_issue(message: str) -> ValidationIssue:
    from accord.errors import ValidationIssue

    return ValidationIssue("", "", "encoding", message)


def _declared_routes(routes: Any) -> dict[str, list[str]] | None:
    """``"METHOD /template"`` of every route of a Starlette router, through mounted
    routers (``""`` holds the prefixes of mounted apps without a router, under which
    only exact paths can be checked), or ``None`` when there is no router."""
    if not isinstance(routes, list):
        return None
    declared: dict[str, list[str]] = {"": []}
    _declare(routes, "", declared, depth=0)
    return declared


_MAX_MOUNT_DEPTH = 32  # mounts nest this deep at most before we stop looking (a cycle)


def _declare(routes: list[Any], prefix: str, declared: dict[str, list[str]], depth: int) -> None:
    for route in routes:
        path = getattr(route, "path", None)
        methods = getattr(route, "methods", None)
        if not isinstance(path, str):
            continue
        if methods is None and hasattr(route, "app"):  # a Mount
            inner = getattr(route, "routes", None)
            if isinstance(inner, list) and inner and depth < _MAX_MOUNT_DEPTH:
                _declare(inner, prefix + path.rstrip("/"), declared, depth + 1)
            else:
                declared[""].append(prefix + path.rstrip("/") + "/")
        for method in methods or ():
            declared[f"{str(method).upper()} {prefix}{path}"] = []


def _dispatched_template(routes: Any, scope: Scope, prefix: str, depth: int = 0) -> str | None:
    """The full template (mount prefixes included) of the route Starlette dispatches
    ``scope`` to: the first route matching it fully, looked for inside a mounted router
    (so ``/api`` + ``/orders/{id}`` is found, not just routes of the top router)."""
    if not isinstance(routes, list) or depth > _MAX_MOUNT_DEPTH:
        return None
    from starlette.routing import Match

    for route in routes:
        matches = getattr(route, "matches", None)
        if matches is None:
            continue
        match, child = matches(scope)
        if match != Match.FULL:
            continue
        template = getattr(route, "path", "")
        template = template if isinstance(template, str) else ""
        if getattr(route, "methods", None) is None and hasattr(route, "app"):  # a Mount
            inner = {**scope, **child}
            return _dispatched_template(
                getattr(route, "routes", None), inner, prefix + template.rstrip("/"), depth + 1
            )
        return prefix + template
    return None


class _Disconnected(Exception):
    """The client went away before its request body ended."""


async def _read_body(receive: Receive, cap: int) -> tuple[bytes, bool]:
    """The request body; ``more`` is True when it went over ``cap`` before its last
    message (not read on). A body whose last message takes it over ``cap`` (a server
    may hand the whole body over in one) comes back whole with ``more`` False.

    Raises:
        _Disconnected: the client hung up first: what arrived is not the body, and a
            prefix of it may well be valid (``1`` of ``12``).
    """
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message.get("type") != "http.request":
            raise _Disconnected
        chunk = message.get("body", b"")
        chunks.append(chunk)
        size += len(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks), False
        if size > cap:
            return b"".join(chunks), True


def _size_issue(message: str) -> ValidationIssue:
    from accord.errors import ValidationIssue

    return ValidationIssue("", "", "size", message)


def _encoded_request(ref: str, coding: str) -> dict[str, Any]:
    from accord.errors import ValidationIssue

    issue = ValidationIssue(
        "",
        "",
        "encoding",
        f"the request body has Content-Encoding {coding}: a contract checks the body as "
        "sent, so send it uncompressed (identity)",
    )
    return violation_detail(ref, [issue], where="body")


def _cut_short(ref: str) -> dict[str, Any]:
    from accord.errors import ValidationIssue

    issue = ValidationIssue(
        "", "", "disconnect", "the client disconnected before the request body ended"
    )
    return violation_detail(ref, [issue], where="body")


def _too_large(ref: str, cap: int) -> dict[str, Any]:
    issue = _size_issue(f"the request body is larger than {cap} bytes")
    return violation_detail(ref, [issue], where="body")


def _replay(data: bytes, more: bool, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": data, "more_body": more}
        return await receive()

    return replay


def _check(check: Validator, data: bytes, *, where: str) -> tuple[Any, dict[str, Any] | None]:
    """The parsed body and, when it is refused, the error body to answer with.

    Bounded whatever the body: parsing refuses nesting deeper than the validator's
    ``max_depth``, and the explanation lists at most its ``max_errors`` errors (each
    message cut to a few hundred characters) with a count of the rest.
    """
    from accord.core import jsondoc as _jsondoc
    from accord.errors import ValidationIssue

    try:
        # exact_numbers: 1e-400 is judged as written, not as 0.0 (see validate_json).
        payload = _jsondoc.loads_fast(
            data, max_bytes=None, max_depth=check.max_depth, exact_numbers=True
        )
        violation = check.violation(payload)
    except AccordError as exc:
        issue = ValidationIssue("", "", "json", f"not valid JSON: {exc.message}")
        return None, violation_detail(check.ref, [issue], where=where)
    if violation is None:
        return payload, None
    return payload, violation_detail(
        check.ref,
        violation.errors,
        where=where,
        omitted=violation.omitted,
        omitted_lower_bound=violation.omitted_lower_bound,
    )


def _log(what: str, scope: Scope, ref: str, problem: dict[str, Any]) -> None:
    # The path, the location and the message hold what the sender chose (a path decoded
    # from %0A, a key quoted by the message): escaped, so they cannot start a log line.
    from accord.core.text import escape_control, plural

    first = problem["detail"][0]
    where = "/".join(str(p) for p in first["loc"])
    logger.warning(
        "%s %s: %s body violates %s at %s: %s (%s)",
        escape_control(str(scope.get("method"))),
        escape_control(str(scope.get("path"))),
        what,
        ref,
        escape_control(where),
        escape_control(str(first["msg"])),
        plural(len(problem["detail"]), "error"),
    )


async def _send_json(send: Send, status: int, body: dict[str, Any]) -> None:
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(data)).encode("ascii")),
            ],
        }
    )
    await send({"type": "http.response.body", "body": data, "more_body": False})


def body(
    ref: str,
    *,
    registry: Registry | str | os.PathLike[str] | None = None,
    max_body: int = _MAX_BODY,
) -> Callable[..., Awaitable[Any]]:
    """A FastAPI dependency: the request's JSON body, once valid under ``ref``.

    Raises (inside the request):
        fastapi.HTTPException: 422 with FastAPI-shaped ``detail`` naming the errors
            (the first ``max_errors``); 413 when the body is over ``max_body`` bytes
            (16 MiB), refused while it is read; 400 when the client hangs up before
            its body ends (as FastAPI answers a body it cannot read): what arrived is
            not the body, and a prefix of it may well be valid (``1`` of ``12``).

    Raises (at once):
        UsageError: ``max_body`` is not a positive int.
    """
    from fastapi import HTTPException, Request
    from starlette.requests import ClientDisconnect

    from accord.registry.model import registry_or_root_argument

    registry = registry_or_root_argument(registry)
    _check_max_body(max_body)

    from accord.registry.runtime import _registry_for, validator

    reg = _registry_for(registry)
    check = validator(ref, registry=reg)
    _note_yanked(reg, check, "body()")

    async def dependency(request: Request) -> Any:
        chunks: list[bytes] = []
        size = 0
        try:
            async for chunk in request.stream():
                size += len(chunk)
                if size > max_body:
                    too_large = _too_large(check.ref, max_body)
                    _log("request", request.scope, check.ref, too_large)
                    raise HTTPException(status_code=413, detail=too_large["detail"])
                chunks.append(chunk)
        except ClientDisconnect:
            # Nobody is left to read the answer; it is FastAPI's own for a body it
            # cannot read, and it keeps Starlette's traceback out of the log.
            cut = _cut_short(check.ref)
            raise HTTPException(status_code=400, detail=cut["detail"]) from None
        data = b"".join(chunks)
        # Starlette keeps a read body here, so the endpoint can still read it.
        request._body = data
        payload, problem = _check(check, data, where="body")
        if problem is not None:
            _log("request", request.scope, check.ref, problem)
            raise HTTPException(status_code=422, detail=problem["detail"])
        return payload

    # FastAPI reads the parameter's type from the annotations; under postponed
    # evaluation they are strings naming a name this module does not import at the top.
    dependency.__annotations__ = {"request": Request, "return": Any}
    return dependency
