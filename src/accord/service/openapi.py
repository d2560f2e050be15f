"""``accord import-openapi``: component schemas of an OpenAPI 3.1 document as contracts.

The source is a FastAPI (or any) app given as ``module:attribute`` (its ``openapi()``
document is built in-process; nothing is served or fetched) or an OpenAPI JSON file.
Each component schema becomes one self-contained 2020-12 document: the components it
references (transitively) are embedded under ``$defs`` and every
``#/components/schemas/X`` becomes ``#/$defs/X`` (``#`` for the component itself).
Remote and other non-component references are refused. The documents are published
through :func:`accord.gate.publish.publish`, so the gate applies: a new contract gets its
first version, an existing one the smallest allowed next version, and a breaking
change without a major bump is refused like any other.

OpenAPI 3.0 documents are refused: their schema dialect (``nullable``, boolean
``exclusiveMinimum``) is not JSON Schema; FastAPI writes 3.1.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from accord.core import pointer as _pointer
from accord.core.progress import Progress
from accord.core.progress import report as report_progress
from accord.errors import RefError, SchemaError, UsageError

if TYPE_CHECKING:
    from accord.gate.publish import PublishResult

__all__ = [
    "FASTAPI_BUILTINS",
    "ImportedComponent",
    "component_schemas",
    "contract_name",
    "import_openapi",
    "load_openapi",
]

COMPONENT_PREFIX = "#/components/schemas/"
DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"
# FastAPI adds these to every app with a body parameter: framework plumbing, not
# contracts of the service. Import them by naming them with ``components``.
FASTAPI_BUILTINS = frozenset({"HTTPValidationError", "ValidationError"})


@dataclass(frozen=True)
class ImportedComponent:
    """One component schema imported (or not).

    Attributes:
        component: The component's name in the OpenAPI document.
        contract: The contract id it maps to.
        created: Whether the contract was created by this import.
        result: What publishing it did.
    """

    component: str
    contract: str
    created: bool
    result: PublishResult

    def to_json(self) -> dict[str, Any]:
        return {
            "component": self.component,
            "contract": self.contract,
            "created": self.created,
            **self.result.to_json(),
        }


def load_openapi(source: str, *, base: Path | None = None) -> tuple[dict[str, Any], str]:
    """The OpenAPI document of ``source`` (``module:app`` or a JSON file) and its name.

    Raises:
        UsageError: ``openapi-source``: the app does not import or has no ``openapi()``.
        DocumentError: the file is not strict JSON.
        SchemaError: ``openapi-version``: not an OpenAPI 3.1 document.
    """
    from accord.core import jsondoc as _jsondoc

    path = Path(source) if base is None else base / source
    if source.endswith(".json") or path.is_file():
        document = _jsondoc.load_path(path, display=source, refuse_inexact=True)
    else:
        from accord.gate.publish import load_model

        try:
            app = load_model(source, base=base)
        except UsageError as exc:
            message = exc.message.replace("--model", "import-openapi").replace(
                "module:Class or path/to/file.py:Class",
                "module:app, path/to/file.py:app or an OpenAPI file (.json)",
            )
            raise UsageError(message, code="openapi-source") from None
        build = getattr(app, "openapi", None)
        if not callable(build):
            raise UsageError(
                f"{source}: {app!r} has no openapi() method (expected a FastAPI app)",
                code="openapi-source",
            )
        document = copy.deepcopy(build())
    version = document.get("openapi") if isinstance(document, dict) else None
    if not isinstance(version, str) or not version.startswith("3.1"):
        raise SchemaError(
            f"{source} is OpenAPI {version or '(no openapi field)'}: only 3.1 documents "
            "are imported (their schemas are JSON Schema 2020-12; 3.0's are not)",
            code="openapi-version",
            file=source,
            pointer="/openapi",
        )
    assert isinstance(document, dict)
    return document, source


# Keywords whose value is data, not a schema: a ``{"$ref": ...}`` object there is a
# value (``const: {"$ref": "#/components/schemas/B"}`` accepts exactly that object), so
# it is neither rewritten nor followed. Under a keyword whose value maps names to
# subschemas, a key is a name (a property called ``default`` is a schema).
_DATA_KEYWORDS = frozenset({"const", "enum", "default", "examples", "example"})
_NAME_MAPS = frozenset(
    {"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"}
)


def _is_data(key: str, names: bool) -> bool:
    return not names and key in _DATA_KEYWORDS


def _refs(node: Any, names: bool = False) -> Iterator[str]:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and not names:
            yield ref
        for key, value in node.items():
            if not _is_data(key, names):
                yield from _refs(value, not names and key in _NAME_MAPS)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def _rewrite(node: Any, own: str, *, file: str, pointer: str, names: bool = False) -> Any:
    if isinstance(node, dict):
        out: dict[str, Any] = {}
        for key, value in node.items():
            where = _pointer.join(pointer, key)
            if key == "$ref" and isinstance(value, str) and not names:
                out[key] = _local_ref(value, own, file=file, pointer=pointer)
            elif _is_data(key, names):
                out[key] = copy.deepcopy(value)
            else:
                inner = not names and key in _NAME_MAPS
                out[key] = _rewrite(value, own, file=file, pointer=where, names=inner)
        return out
    if isinstance(node, list):
        return [_rewrite(v, own, file=file, pointer=f"{pointer}/{i}") for i, v in enumerate(node)]
    return node


def _local_ref(ref: str, own: str, *, file: str, pointer: str) -> str:
    if not ref.startswith(COMPONENT_PREFIX):
        code = "ref-remote" if not ref.startswith("#") else "ref-unresolvable"
        raise RefError(
            f"$ref {ref!r}: only #/components/schemas/... references are imported "
            "(remote references are never fetched)",
            code=code,
            file=file,
            pointer=pointer,
        )
    name, _, rest = ref[len(COMPONENT_PREFIX) :].partition("/")
    if name == own:
        return "#" + (f"/{rest}" if rest else "")
    return f"#/$defs/{name}" + (f"/{rest}" if rest else "")


def _closure(schemas: dict[str, Any], name: str, *, file: str) -> list[str]:
    """The components ``name`` references, transitively (sorted, without ``name``)."""
    seen: set[str] = set()
    todo = [name]
    while todo:
        current = todo.pop()
        for ref in _refs(schemas[current]):
            if not ref.startswith(COMPONENT_PREFIX):
                continue
            target = ref[len(COMPONENT_PREFIX) :].split("/", 1)[0]
            if target not in schemas:
                raise RefError(
                    f"$ref {ref!r}: no component schema {target!r}",
                    code="ref-unresolvable",
                    file=file,
                    pointer=_pointer.join("/components/schemas", current),
                )
            if target not in seen:
                seen.add(target)
                todo.append(target)
    seen.discard(name)
    return sorted(seen)


def component_schemas(
    document: dict[str, Any],
    *,
    source: str = "<openapi>",
    components: Iterable[str] | None = None,
) -> dict[str, dict[str, Any]]:
    """Each component schema as a self-contained 2020-12 document (Pydantic profile).

    Args:
        document: An OpenAPI 3.1 document.
        source: Its name in errors.
        components: The components wanted (default: all but :data:`FASTAPI_BUILTINS`).

    Raises:
        RefError: a remote, non-component or dangling ``$ref``.
        SchemaError: ``openapi-defs-collision``: a component's own ``$defs`` entry has
            the name of a component it references.
        UsageError: a named component does not exist.
    """
    from accord.gate.publish import pydantic_profile

    _check_dialect(document.get("jsonSchemaDialect"), source, "/jsonSchemaDialect")
    schemas = document.get("components", {}).get("schemas", {})
    if not isinstance(schemas, dict):
        raise SchemaError(
            "components.schemas must be an object",
            code="openapi-invalid",
            file=source,
            pointer="/components/schemas",
        )
    if components is None:
        wanted = sorted(n for n in schemas if n not in FASTAPI_BUILTINS)
    else:
        wanted = list(components)
        missing = [n for n in wanted if n not in schemas]
        if missing:
            raise UsageError(
                f"{source} has no component schema {', '.join(map(repr, missing))}; it has "
                f"{', '.join(sorted(schemas)) or 'none'}",
                code="openapi-component-not-found",
            )
    out: dict[str, dict[str, Any]] = {}
    for name in wanted:
        body = schemas[name]
        if not isinstance(body, dict):
            raise SchemaError(
                f"component {name!r} is not an object schema",
                code="schema-root-not-object",
                file=source,
                pointer=_pointer.join("/components/schemas", name),
            )
        where = _pointer.join("/components/schemas", name)
        deps = _closure(schemas, name, file=source)
        for part in (name, *deps):
            if isinstance(schemas[part], dict) and "$schema" in schemas[part]:
                at = _pointer.join("/components/schemas", part, "$schema")
                _check_dialect(schemas[part]["$schema"], source, at)
        root = _rewrite(body, name, file=source, pointer=where)
        defs = dict(root.get("$defs", {}))
        for dep in deps:
            if dep in defs:
                # Both would be #/$defs/<dep>: the component's own definition would be
                # silently replaced by the other component (or the reverse).
                raise SchemaError(
                    f"component {name!r} defines $defs/{dep} and references the component "
                    f"{dep!r}; both would be embedded as #/$defs/{dep}: rename one",
                    code="openapi-defs-collision",
                    file=source,
                    pointer=_pointer.join(where, "$defs", dep),
                )
            defs[dep] = _rewrite(
                schemas[dep], name, file=source, pointer=_pointer.join("/components/schemas", dep)
            )
        if defs:
            root["$defs"] = defs
        out[name] = pydantic_profile(root)
        out[name]["$schema"] = DRAFT_2020_12
    return out


# The dialects whose schemas accord publishes as they are: 2020-12 and OpenAPI 3.1's
# default (2020-12 with the OAS vocabulary of annotations: discriminator, xml, example).
_DIALECTS = frozenset(
    {
        DRAFT_2020_12,
        DRAFT_2020_12 + "#",
        "https://spec.openapis.org/oas/3.1/dialect/base",
        "https://spec.openapis.org/oas/3.1/dialect/2024-10-25",
    }
)


def _check_dialect(value: Any, source: str, pointer: str) -> None:
    """Refuse another dialect: each component is published as 2020-12, which reads a
    draft-07 schema differently (``$ref`` siblings apply, ``dependencies`` is unknown)."""
    if value is None or value in _DIALECTS:
        return
    raise SchemaError(
        f"schema dialect {value!r}: only JSON Schema 2020-12 (OpenAPI 3.1's default) is "
        "imported; each component would be published as 2020-12, which reads it differently",
        code="openapi-dialect",
        file=source,
        pointer=pointer,
    )


def contract_name(component: str) -> str:
    """``OrderPlaced`` -> ``order-placed`` (FastAPI's ``Body_x`` names included)."""
    from accord.registry.names import slugify

    return slugify(re.sub(r"[^A-Za-z0-9]+", "-", component))


def import_openapi(
    root: str | Path,
    source: str,
    *,
    namespace: str,
    owner: str | None = None,
    kind: str = "record",
    components: Iterable[str] | None = None,
    base: Path | None = None,
    progress: Progress | None = None,
) -> list[ImportedComponent]:
    """Publish every component schema of ``source`` into the registry at ``root``.

    Args:
        root: The registry root.
        source: ``module:app`` or an OpenAPI JSON file.
        namespace: Namespace of the contracts (``orders`` -> ``orders.order-placed``).
        owner: Owning team of contracts created by the import (required when one is
            created).
        kind: ``kind`` of created contracts.
        components: Only these components (default: all but FastAPI's built-ins).
        base: Directory ``source`` is relative to.
        progress: Told of each component decided, then of each published (one count
            over both passes).

    Returns:
        One :class:`ImportedComponent` per component, in name order; a refused or
        conflicting publish is reported there, not raised.

    Raises:
        UsageError: a contract must be created and no ``owner`` is given, or the
            source does not load.
        SchemaError, RefError, DocumentError: the document cannot be imported.
    """
    from accord.gate.publish import (
        REFUSED,
        PublishResult,
        check_document,
        plan_contract,
        publish,
        write_contract,
    )
    from accord.registry.model import Registry
    from accord.registry.names import collision_key, validate_name

    validate_name(namespace, what="namespace")
    document, name = load_openapi(source, base=base)
    schemas = component_schemas(document, source=name, components=components)
    registry = Registry.load(root)
    # All or nothing: every component is checked, and the gate decides on every one,
    # before anything is written.
    plans: list[tuple[str, str, dict[str, Any], str, tuple[Path, str] | None]] = []
    seen: dict[str, str] = {}
    for component, schema in schemas.items():
        contract_id = f"{namespace}.{contract_name(component)}"
        display = f"{name}#/components/schemas/{component}"
        key = collision_key(contract_id)
        if key in seen:
            raise UsageError(
                f"components {seen[key]!r} and {component!r} both map to {contract_id}: "
                "nothing was published",
                code="name-collision",
            )
        seen[key] = component
        check_document(
            schema, file=display, limits=registry.settings.limits, settings=registry.settings
        )
        planned = None
        if contract_id not in registry:
            if not owner:
                raise UsageError(
                    f"{contract_id} does not exist yet: pass --owner to create it "
                    "(nothing was published)",
                    code="usage",
                )
            planned = plan_contract(root, contract_id, owner=owner, kind=kind)
        plans.append((component, contract_id, schema, display, planned))
    steps = 2 * len(plans)
    verdicts: dict[str, PublishResult] = {}
    for done, (component, contract_id, schema, display, planned) in enumerate(plans, 1):
        if planned is None:
            verdicts[component] = publish(root, contract_id, schema, source=display, dry_run=True)
        report_progress(progress, done, steps, f"decide {contract_id}")
    refused = sorted(c for c, r in verdicts.items() if not r.ok)
    if refused:
        return [
            ImportedComponent(
                component,
                contract_id,
                planned is not None,
                verdicts[component]
                if component in refused
                else PublishResult(
                    REFUSED,
                    contract_id,
                    None,
                    message=f"not published: {', '.join(refused)} cannot be published, and "
                    "an import publishes all of its components or none",
                ),
            )
            for component, contract_id, _schema, _display, planned in plans
        ]
    results: list[ImportedComponent] = []
    for done, (component, contract_id, schema, display, planned) in enumerate(plans, 1):
        if planned is not None:
            write_contract(*planned, contract_id=contract_id)
        result = publish(root, contract_id, schema, source=display)
        results.append(ImportedComponent(component, contract_id, planned is not None, result))
        report_progress(progress, len(plans) + done, steps, f"publish {contract_id}")
    return results
