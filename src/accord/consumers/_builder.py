"""The consumer-side Python API: matchers, the :class:`Expectation` builder, an in-process stub.

Example:
    >>> from accord.consumers import Expectation, like, regex, each_like
    >>> e = (Expectation("billing")
    ...      .reads("orders.order-placed@^1")
    ...      .field("$.total.amount", like(12.5))
    ...      .field("$.line_items[*].sku", regex(r"[A-Z]{3}-[0-9]{4,8}", "MUG-0042")))
    >>> [f["path"] for f in e.to_json()["reads"][0]["fields"]]
    ['$.total.amount', '$.line_items[*].sku']

Bodies given to :meth:`Interaction.will_respond_with` and friends are Pact-style trees:
matchers where the consumer is flexible, literals where it needs the exact value.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from accord.consumers._matchers import PathToken, check_fields, format_path
from accord.consumers._model import FORMAT_VERSION, locked_dir, merge_into_file, validate
from accord.errors import UsageError

if TYPE_CHECKING:
    import httpx

    from accord.consumers._stub import StubServer

__all__ = [
    "Expectation",
    "Interaction",
    "Matcher",
    "Message",
    "boolean",
    "date",
    "datetime",
    "decimal",
    "each_like",
    "enum",
    "equals",
    "include",
    "integer",
    "like",
    "not_empty",
    "null",
    "nullable",
    "number",
    "optional",
    "regex",
    "string",
    "time",
    "union",
]

_UNSET: Any = object()


@dataclass(frozen=True, slots=True)
class Matcher:
    """A matcher with an example value; build with :func:`like`, :func:`regex`, ...

    Attributes:
        spec: The matcher as stored (``{"match": "regex", "regex": "..."}``).
        example: The example value the stub serves.
        optional: The key may be absent.
        nullable: The value may be ``null``.
        items: For :func:`each_like`: the item tree (matchers and literals).
    """

    spec: Mapping[str, Any]
    example: Any = None
    optional: bool = False
    nullable: bool = False
    items: Any = _UNSET


def like(example: Any) -> Matcher:
    """Same JSON type as ``example`` (objects and arrays cascade to their children)."""
    return Matcher({"match": "like", "example": example}, example)


def each_like(example: Any, *, min: int = 1, max: int | None = None) -> Matcher:
    """An array of ``min``..``max`` items, each like ``example`` (a tree)."""
    spec: dict[str, Any] = {"match": "array", "min": min}
    if max is not None:
        spec["max"] = max
    return Matcher(spec, [_example(example)] * max_(min, 1), items=example)


def max_(a: int, b: int) -> int:
    return a if a > b else b


def regex(pattern: str, example: str | None = None) -> Matcher:
    """A string the regex matches as a whole (Pact's meaning), ECMA-262 syntax.

    Without ``example``, the stub serves the shortest string the pattern matches.

    Raises:
        UsageError: ``expectation-bad-regex`` for a pattern that is not ECMA-262;
            ``expectation-bad-example`` when ``example`` does not match the pattern, or
            no example can be drawn from it (give one).
    """
    from accord.consumers._matchers import check_matcher, regex_problem

    spec = {"match": "regex", "regex": pattern}
    why = regex_problem(pattern)
    if why is not None:
        raise UsageError(
            f"regex {pattern!r} is not a valid ECMA-262 pattern: {why}",
            code="expectation-bad-regex",
        )
    if example is None:
        example = _regex_example(pattern)
    why = check_matcher(spec, example)
    if why:
        raise UsageError(f"regex({pattern!r}): its example {why}", code="expectation-bad-example")
    return Matcher(spec, example)


def _regex_example(pattern: str) -> str:
    """The first string the sampler draws that ``pattern`` matches as a whole."""
    import random

    from accord.consumers._matchers import check_matcher
    from accord.payloads.regex import matching_strings

    spec = {"match": "regex", "regex": pattern}
    rng = random.Random(0)  # noqa: S311 - a fixed seed: the same example on every run
    for text in matching_strings(f"^(?:{pattern})$", rng, minimal=True):
        if check_matcher(spec, text) is None:
            return text
    raise UsageError(
        f"regex({pattern!r}): no example could be drawn from the pattern; pass "
        "example='...' (a string the pattern matches as a whole)",
        code="expectation-bad-example",
    )


def string(example: str = "string") -> Matcher:
    """Any string."""
    return Matcher({"match": "string"}, example)


def integer(example: int = 1) -> Matcher:
    """An integer literal (``2.0`` fails, as in Pact)."""
    return Matcher({"match": "integer"}, example)


def decimal(example: float = 1.5) -> Matcher:
    """A number with a fraction part (``42`` fails, as in Pact)."""
    return Matcher({"match": "decimal"}, example)


def number(example: float = 1) -> Matcher:
    """Any number."""
    return Matcher({"match": "number"}, example)


def boolean(example: bool = True) -> Matcher:
    """``true`` or ``false``."""
    return Matcher({"match": "boolean"}, example)


def null() -> Matcher:
    """Exactly ``null``."""
    return Matcher({"match": "null"}, None)


def equals(value: Any) -> Matcher:
    """Exactly ``value`` (an intended pin, unlike a bare literal)."""
    return Matcher({"match": "equals", "value": value}, value)


def enum(*values: Any, example: Any = _UNSET) -> Matcher:
    """One of the values the consumer handles (an enum subset)."""
    if not values:
        raise UsageError("enum() needs at least one value")
    return Matcher(
        {"match": "enum", "values": list(values)}, values[0] if example is _UNSET else example
    )


def _date_matcher(kind: str, fmt: str | None, example: str) -> Matcher:
    spec: dict[str, Any] = {"match": kind}
    if fmt:
        spec["format"] = fmt
    return Matcher(spec, example)


def date(example: str = "2024-01-31", *, format: str | None = None) -> Matcher:
    """A date: RFC 3339 ``full-date``, or a Pact format such as ``dd/MM/yyyy``."""
    return _date_matcher("date", format, example)


def time(example: str = "12:00:00Z", *, format: str | None = None) -> Matcher:
    """A time: RFC 3339 ``full-time``, or a Pact format."""
    return _date_matcher("time", format, example)


def datetime(example: str = "2024-01-31T12:00:00Z", *, format: str | None = None) -> Matcher:
    """A date-time: RFC 3339, or a Pact format."""
    return _date_matcher("datetime", format, example)


def include(value: str, example: str | None = None) -> Matcher:
    """A string containing ``value``."""
    return Matcher({"match": "include", "value": value}, example if example is not None else value)


def not_empty(example: Any) -> Matcher:
    """A non-empty string, array or object."""
    return Matcher({"match": "not_empty"}, example)


def union(*alternatives: Matcher) -> Matcher:
    """Any one of the alternatives (a union the consumer handles)."""
    if not alternatives:
        raise UsageError("union() needs at least one alternative")
    subs = [dict(a.spec) for a in alternatives]
    return Matcher({"match": "one_of", "matchers": subs}, alternatives[0].example)


def optional(matcher: Matcher | Any) -> Matcher:
    """The key may be absent (Pact cannot say this: the export leaves the key out of the
    Pact body, so Pact does not require it)."""
    return replace(_as_matcher(matcher), optional=True)


def nullable(matcher: Matcher | Any) -> Matcher:
    """The value may be ``null`` (exported to Pact as ``combine: OR`` with a ``null``
    matcher; for an object or an array pact-rust cannot apply it, and the export says so)."""
    return replace(_as_matcher(matcher), nullable=True)


def _as_matcher(value: Matcher | Any) -> Matcher:
    if isinstance(value, Matcher):
        return value
    return Matcher({"match": "equals", "value": value}, value)


def _example(tree: Any) -> Any:
    if isinstance(tree, Matcher):
        if tree.items is not _UNSET:
            return tree.example
        return _example(tree.example) if isinstance(tree.example, (dict, list)) else tree.example
    if isinstance(tree, dict):
        return {k: _example(v) for k, v in tree.items()}
    if isinstance(tree, list):
        return [_example(v) for v in tree]
    return tree


def expand(
    tree: Any, tokens: tuple[PathToken, ...] = (), *, cascade: bool = False
) -> list[dict[str, Any]]:
    """Fields for a Pact-style tree: literals exact (pinned), matchers where flexible.

    ``like`` cascades: children of a type-matched object or array are type-matched.
    """
    path = format_path(tokens)
    if isinstance(tree, Matcher):
        flags = {k: True for k in ("optional", "nullable") if getattr(tree, k)}
        if tree.items is not _UNSET:  # each_like
            return [
                {"path": path, **tree.spec, **flags},
                *expand(tree.items, (*tokens, ("items", None)), cascade=True),
            ]
        if tree.spec.get("match") == "like" and isinstance(tree.example, (dict, list)):
            head = expand(tree.example, tokens, cascade=True)
            if flags:
                if head and head[0]["path"] == path:
                    head[0].update(flags)
                else:
                    kind = "object" if isinstance(tree.example, dict) else "array"
                    head.insert(0, {"path": path, "match": kind, **flags})
            return head
        out = {"path": path, **tree.spec, **flags}
        if tree.example is not None and "example" not in out and tree.spec["match"] != "equals":
            out["example"] = tree.example
        return [out]
    if isinstance(tree, dict):
        if not tree:
            return [{"path": path, "match": "object"}]
        fields: list[dict[str, Any]] = []
        for key, value in tree.items():
            fields.extend(expand(value, (*tokens, ("key", key)), cascade=cascade))
        return fields
    if isinstance(tree, list):
        if cascade:
            items: list[dict[str, Any]] = [{"path": path, "match": "array"}]
            if tree:
                items.extend(expand(tree[0], (*tokens, ("items", None)), cascade=True))
            return items
        fields = [{"path": path, "match": "array", "min": len(tree), "max": len(tree)}]
        for n, value in enumerate(tree):
            fields.extend(expand(value, (*tokens, ("index", n)), cascade=False))
        return fields
    if cascade:
        return [{"path": path, "match": "like", "example": tree}]
    return [{"path": path, "match": "equals", "value": tree, "pinned": True}]


def _body(tree: Any, contract: str | None, *, with_example: bool = True) -> dict[str, Any]:
    body: dict[str, Any] = {"contract": contract, "fields": expand(tree)}
    if with_example:
        body["example"] = _example(tree)
        _refuse_bad_example(body)
    return body


def _refuse_bad_example(body: dict[str, Any]) -> None:
    """The stub serves the example: one that fails its own matchers (``integer(1.5)``,
    ``date("31/01/2024")``) would make every consumer test lie, so it is refused here,
    before anything is written."""
    from accord.consumers._matchers import check_fields

    problems = check_fields(body["fields"], body["example"], role="reads")
    if problems:
        first = problems[0]
        raise UsageError(
            f"the example at {first.path} fails its own matcher: {first.message}",
            code="expectation-bad-example",
        )


@dataclass
class Interaction:
    """An HTTP interaction being built (returned by :meth:`Expectation.upon_receiving`)."""

    owner: Expectation
    description: str
    states: list[dict[str, Any]] = field(default_factory=list)
    request: dict[str, Any] = field(default_factory=dict)
    response: dict[str, Any] = field(default_factory=dict)

    def given(self, state: str, **params: Any) -> Interaction:
        """A provider state (with parameters) the interaction needs."""
        entry: dict[str, Any] = {"name": state}
        if params:
            entry["params"] = params
        self.states.append(entry)
        return self

    def with_request(
        self,
        method: str,
        path: str,
        *,
        query: Mapping[str, str | list[str]] | None = None,
        headers: Mapping[str, str] | None = None,
        body: Any = _UNSET,
        contract: str | None = None,
    ) -> Interaction:
        """The request the consumer sends; ``body`` is a tree of matchers and literals."""
        self.request = {"method": method.upper(), "path": path}
        if query:
            self.request["query"] = {
                k: [v] if isinstance(v, str) else list(v) for k, v in query.items()
            }
        if headers:
            self.request["headers"] = dict(headers)
        if body is not _UNSET:
            self.request["body"] = _body(body, contract)
        return self

    def will_respond_with(
        self,
        status: int,
        *,
        body: Any = _UNSET,
        contract: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Expectation:
        """The response the consumer relies on; returns the expectation to chain on."""
        self.response = {"status": status}
        if headers:
            self.response["headers"] = dict(headers)
        if body is not _UNSET:
            self.response["body"] = _body(body, contract)
        return self.owner

    def to_json(self) -> dict[str, Any]:
        if not self.request or not self.response:
            raise UsageError(
                f"interaction {self.description!r} needs with_request() and will_respond_with()"
            )
        out: dict[str, Any] = {
            "type": "http",
            "description": self.description,
            "request": self.request,
            "response": self.response,
        }
        if self.states:
            out["provider_states"] = self.states
        return out


@dataclass
class Message:
    """A message (event) the consumer handles."""

    description: str
    body: dict[str, Any]
    metadata: dict[str, Any]
    states: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "type": "message",
            "description": self.description,
            "metadata": self.metadata,
            "body": self.body,
        }
        if self.states:
            out["provider_states"] = self.states
        return out


class Expectation:
    """What one consumer relies on; written to ``consumers/<consumer>/<name>.json``.

    Args:
        consumer: The consumer's name (``billing``); a name from outside accord is
            slugified and the mapping stored.
        version: The consumer's version (a release or a commit).
        branch: The consumer's branch.
        name: The file name (without ``.json``), a name as a service's is (lower-case
            letters, digits and ``-``); default: the provider's name, else the
            consumer's. Expectations written to one file accumulate (one file per
            consumer-provider pair, as a Pact file).
        provider: The provider service (``contract.toml`` ``provider``).

    Raises:
        InvalidReference: ``name-invalid`` or ``name-reserved`` for a ``name`` (or,
            naming the file, a ``provider``) that is not a name: never a path.
    """

    def __init__(
        self,
        consumer: str,
        *,
        version: str | None = None,
        branch: str | None = None,
        name: str | None = None,
        provider: str | None = None,
    ) -> None:
        from accord.registry.names import is_valid_name, slugify, validate_name

        self.names: dict[str, str] = {}
        if not is_valid_name(consumer):
            slug = slugify(consumer)
            self.names[consumer] = slug
            consumer = slug
        self.consumer = consumer
        self.version = version
        self.branch = branch
        self.name = name or provider or consumer
        # the file is consumers/<consumer>/<name>.json: a name, never a path
        validate_name(self.name, what="expectation file name" if name else "provider")
        self.provider = provider
        self._reads: list[dict[str, Any]] = []
        self._interactions: list[Interaction | Message] = []
        self._exercised: set[int] = set()
        self._unexpected: list[str] = []
        self._servers: list[StubServer] = []

    # -- fields of a contract ----------------------------------------------------------

    def reads(self, ref: str) -> Expectation:
        """Start a set of fields the consumer reads from contract ``ref`` (``ns.name@^1``)."""
        from accord.registry.names import ContractRef

        ContractRef.parse(ref)
        self._reads.append({"contract": ref, "fields": []})
        return self

    def field(
        self, path: str, matcher: Matcher | Any, *, optional: bool = False, nullable: bool = False
    ) -> Expectation:
        """A field of the contract named by the last :meth:`reads`, by JSON path."""
        from accord.consumers._matchers import parse_path

        if not self._reads:
            raise UsageError("call reads('ns.name@range') before field()")
        m = _as_matcher(matcher)
        if optional or nullable:
            m = replace(m, optional=m.optional or optional, nullable=m.nullable or nullable)
        self._reads[-1]["fields"].extend(expand(m, parse_path(path)))
        return self

    # -- interactions ------------------------------------------------------------------

    def upon_receiving(self, description: str) -> Interaction:
        """Start an HTTP interaction."""
        interaction = Interaction(self, description)
        self._interactions.append(interaction)
        return interaction

    def message(
        self,
        description: str,
        contract: str,
        body: Any,
        *,
        metadata: Mapping[str, Any] | None = None,
        given: str | None = None,
        params: Mapping[str, Any] | None = None,
    ) -> Expectation:
        """A message the consumer handles; ``metadata["contract"]`` names its contract."""
        meta = {"contract": contract, **(metadata or {})}
        states = [{"name": given, **({"params": dict(params)} if params else {})}] if given else []
        self._interactions.append(Message(description, _body(body, contract), meta, states))
        return self

    # -- output ------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        """The expectation document (validated)."""
        consumer: dict[str, Any] = {"name": self.consumer}
        if self.version:
            consumer["version"] = self.version
        if self.branch:
            consumer["branch"] = self.branch
        doc: dict[str, Any] = {"format_version": FORMAT_VERSION, "consumer": consumer}
        if self.provider:
            doc["provider"] = self.provider
        if self.names:
            doc["names"] = dict(self.names)
        if self._reads:
            doc["reads"] = json.loads(json.dumps(self._reads))
        if self._interactions:
            doc["interactions"] = [i.to_json() for i in self._interactions]
        validate(doc, file=f"<expectation {self.consumer}/{self.name}>")
        return doc

    def path_in(self, registry_root: str | os.PathLike[str]) -> Path:
        """Where :meth:`write` puts the file under ``registry_root``."""
        return Path(registry_root) / "consumers" / self.consumer / f"{self.name}.json"

    def write(
        self,
        registry_root: str | os.PathLike[str],
        *,
        replace: bool | Callable[[tuple[str, str]], bool] = False,
    ) -> Path:
        """Merge into the file atomically: interactions already recorded there are kept,
        new ones added (skipped when the bytes are already there).

        Args:
            registry_root: The registry directory.
            replace: Replace a recorded interaction with the same description and
                provider states but different content (or a predicate on that key);
                by default that is an ``expectation-conflict`` and nothing is written.

        Raises:
            DocumentError: ``expectation-conflict``, or the stored file is invalid.
        """
        from accord.core.jsondoc import atomic_write, refuse_links_below

        registry_root = Path(registry_root)
        target = self.path_in(registry_root)
        refuse_links_below(registry_root, target.relative_to(registry_root).as_posix())
        doc = self.to_json()
        target.parent.mkdir(parents=True, exist_ok=True)
        with locked_dir(target.parent):
            shown = f"consumers/{self.consumer}/{target.name}"
            _merged, data = merge_into_file(target, doc, shown=shown, replace=replace)
            if data is not None:
                atomic_write(target, data)
        return target

    def problems(self, *, messages: bool = True) -> list[str]:
        """What the stub saw that Pact fails a consumer test for (empty: all is well):
        HTTP interactions never exercised, requests no interaction matched, and (unless
        ``messages=False``) messages the test never consumed (:meth:`consume`,
        :meth:`example_message`)."""
        out: list[str] = []
        for n, item in enumerate(self._interactions):
            if n in self._exercised:
                continue
            if isinstance(item, Interaction):
                out.append(f"interaction {item.description!r} was never exercised by the stub")
            elif messages:
                out.append(
                    f"message {item.description!r} was never consumed by the test (pass it "
                    f"to your handler: consume({item.description!r}, handler))"
                )
        served = [p for server in self._servers for p in server.problems]
        return out + self._unexpected + served

    def raise_for_problems(self, *, messages: bool = True) -> None:
        """Raise when :meth:`problems` is not empty (what a consumer test asserts last).

        Raises:
            UsageError: ``expectation-unmet``, naming every problem.
        """
        problems = self.problems(messages=messages)
        if problems:
            raise UsageError(
                f"expectation of {self.consumer} not met:\n  " + "\n  ".join(problems),
                code="expectation-unmet",
            )

    # -- the in-process stub -----------------------------------------------------------

    def _message(self, description: str) -> Message:
        for n, item in enumerate(self._interactions):
            if isinstance(item, Message) and item.description == description:
                self._exercised.add(n)
                return item
        known = [i.description for i in self._interactions if isinstance(i, Message)]
        from accord.core.text import did_you_mean

        raise UsageError(
            f"no message {description!r} in this expectation{did_you_mean(description, known)}",
            code="expectation-unknown-message",
        )

    def example_message(self, description: str) -> Any:
        """The example payload of message ``description`` (feed it to your handler); the
        message counts as consumed."""
        return self._message(description).body.get("example")

    def consume(self, description: str, handler: Callable[[Any, dict[str, Any]], Any]) -> Any:
        """Call ``handler(body, metadata)`` with message ``description``'s example, as
        pact-python's ``verify(handler)`` does; the message counts as consumed. An
        exception from the handler propagates (the test fails, nothing is recorded).

        Returns:
            What the handler returned.
        """
        item = self._message(description)
        return handler(item.body.get("example"), dict(item.metadata))

    def respond(
        self,
        method: str,
        path: str,
        query: Mapping[str, list[str]],
        body: bytes,
        headers: Mapping[str, str] | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        """The stub's answer to one request: the matching interaction's response.

        A request matches an interaction when its method, path, query, the headers the
        interaction expects (names case-insensitive; extra headers are fine) and body
        match. An unmatched request gets status 500 and a JSON body naming every
        candidate's mismatches (so the consumer test fails with the reason), and is
        kept in :meth:`problems`.
        """
        received = {k.lower(): v for k, v in (headers or {}).items()}
        misses: list[dict[str, Any]] = []
        for n, item in enumerate(self._interactions):
            if not isinstance(item, Interaction):
                continue
            why = _request_mismatch(item.request, method, path, query, body)
            why += _header_mismatch(item.request, received)
            if why:
                misses.append({"interaction": item.description, "mismatches": why})
                continue
            self._exercised.add(n)
            response = item.response
            headers = dict(response.get("headers", {}))
            payload = b""
            if "body" in response:
                headers.setdefault("content-type", "application/json")
                payload = json.dumps(response["body"].get("example")).encode()
            return int(response["status"]), headers, payload
        error = {"error": "accord stub: no interaction matches", "method": method, "path": path}
        error["candidates"] = misses  # type: ignore[assignment]
        self._unexpected.append(f"unexpected request {method.upper()} {path}: {misses}")
        return 500, {"content-type": "application/json"}, json.dumps(error).encode()

    def transport(self) -> httpx.MockTransport:
        """An ``httpx.MockTransport`` serving the expected responses in-process."""
        import httpx

        def handler(request: httpx.Request) -> httpx.Response:
            query: dict[str, list[str]] = {}
            for key, value in request.url.params.multi_items():
                query.setdefault(key, []).append(value)
            status, headers, payload = self.respond(
                request.method, request.url.path, query, request.content, dict(request.headers)
            )
            return httpx.Response(status, headers=headers, content=payload)

        return httpx.MockTransport(handler)

    def serve(self, *, port: int = 0, timeout: float = 5.0, max_body: int = 1 << 20) -> StubServer:
        """A real HTTP server on 127.0.0.1 serving the expected responses (Pact's mock
        server), for any client library; use it as a context manager.

        Example::

            with e.serve() as stub:
                assert requests.get(f"{stub.base_url}/users/123").json()["name"] == "Ada"

        Args:
            port: The port; 0 (the default) lets the operating system choose one.
            timeout: Seconds a connection may stay silent before the stub drops it.
            max_body: The largest request body read, in bytes (larger: 413, a problem).

        Leaving the ``with`` block stops the server and raises ``expectation-unmet``
        when an interaction was never exercised or a request matched none; the
        ``accord_expectation`` fixture also stops every server still running at
        teardown (see :meth:`close`).
        """
        from accord.consumers._stub import StubServer

        server = StubServer(self, port=port, timeout=timeout, max_body=max_body)
        self._servers.append(server)
        return server

    def close(self) -> None:
        """Stop every stub server :meth:`serve` started that is still running."""
        for server in self._servers:
            server.close()

    def asgi_app(self) -> Callable[..., Any]:
        """An ASGI app serving the expected responses (for ``httpx.ASGITransport``)."""
        from urllib.parse import parse_qs

        async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
            if scope["type"] != "http":
                return
            chunks: list[bytes] = []
            while True:
                event = await receive()
                chunks.append(event.get("body", b""))
                if not event.get("more_body"):
                    break
            query = parse_qs(scope.get("query_string", b"").decode(), keep_blank_values=True)
            sent = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
            status, headers, payload = self.respond(
                scope["method"], scope["path"], query, b"".join(chunks), sent
            )
            await send(
                {
                    "type": "http.response.start",
                    "status": status,
                    "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
                }
            )
            await send({"type": "http.response.body", "body": payload})

        return app


def _request_mismatch(
    expected: dict[str, Any], method: str, path: str, query: Mapping[str, list[str]], body: bytes
) -> list[str]:
    problems: list[str] = []
    if expected.get("method") != method.upper():
        problems.append(f"method {method} != {expected.get('method')}")
    if expected.get("path") != path:
        problems.append(f"path {path} != {expected.get('path')}")
    for key, values in expected.get("query", {}).items():
        if list(query.get(key, [])) != list(values):
            problems.append(f"query {key}={query.get(key)} != {values}")
    # as Pact's mock server: verification replays the recorded query only, so a
    # parameter the consumer sends beyond it would never be shown to the provider
    problems.extend(
        f"unexpected query parameter {key}={list(query[key])}"
        for key in sorted(set(query) - set(expected.get("query", {})))
    )
    if "body" in expected:
        from accord.core.jsondoc import loads
        from accord.errors import DocumentError

        try:
            # strict, as every JSON accord reads: Python's json.loads keeps the last of
            # two equal keys (a provider may keep the first) and takes NaN
            payload = loads(body or b"null", max_bytes=None, exact_numbers=True)
        except DocumentError as exc:
            return [*problems, f"request body is not JSON ({exc.code})"]
        problems.extend(
            f"body {m.path}: {m.message}"
            for m in check_fields(expected["body"]["fields"], payload, role="writes")
        )
    return problems


def _header_mismatch(expected: dict[str, Any], received: Mapping[str, str]) -> list[str]:
    """Pact's header check: every expected header is sent (name case-insensitive), with
    the expected value, or one its header matchers accept."""
    from accord.consumers._matchers import check_matcher

    matchers = {k.lower(): v for k, v in expected.get("matchers", {}).get("header", {}).items()}
    problems: list[str] = []
    for name, value in expected.get("headers", {}).items():
        got = received.get(name.lower())
        if got is None:
            problems.append(f"header {name} is missing")
            continue
        if name.lower() in matchers:
            whys = [w for m in matchers[name.lower()] if (w := check_matcher(m, got))]
            problems.extend(f"header {name}: {w}" for w in whys)
        elif _header_value(name, got) != _header_value(name, str(value)):
            problems.append(f"header {name}: {got!r} != {value!r}")
    return problems


def _header_value(name: str, value: str) -> list[str]:
    parts = [p.strip() for p in value.split(",")]
    if name.lower() == "content-type":  # media types and parameter names ignore case
        return [";".join(x.strip().lower() for x in p.split(";")) for p in parts]
    return parts
