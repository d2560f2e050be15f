"""The one place third-party validators are built: no library resolves a reference itself.

accord resolves ``$ref`` itself (a registry bundles every version it serves), so a
validator library must never fetch or read anything a schema names. Each library gets
the refusal it understands:

- jsonschema-rs: ``offline=True`` (no HTTP, no file retrieval);
- python-jsonschema: a ``referencing`` registry whose ``retrieve`` refuses;
- fastjsonschema: ``handlers`` that refuse *every* URI scheme (for a scheme with no
  handler it falls back to ``urllib.request.urlopen``: http, file, ftp, data, ...).

``tests/hostile/test_no_fetch.py`` scans ``src/`` (AST) so a construction anywhere else
fails CI.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from functools import lru_cache
from typing import Any

from accord.core.frozen import thaw
from accord.errors import RefError

__all__ = [
    "REFUSE_EVERY_SCHEME",
    "fast_compile",
    "fast_compile_to_code",
    "offline_registry",
    "py_validator",
    "py_validator_class",
    "refuse_retrieval",
    "rs_metaschema_error",
    "rs_validator",
]


def refuse_retrieval(uri: str) -> Any:
    """Refuse to resolve ``uri``: accord never fetches nor reads what a schema names."""
    raise RefError(
        f"$ref {uri!r} is not inside the schema; accord never fetches",
        code="ref-remote",
        pointer="",
    )


class _RefuseEveryScheme(Mapping[str, Callable[[str], Any]]):
    """fastjsonschema ``handlers``: a refusing handler for every scheme, named or not."""

    def __getitem__(self, scheme: str) -> Callable[[str], Any]:
        return refuse_retrieval

    def __contains__(self, scheme: object) -> bool:
        return True

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0


REFUSE_EVERY_SCHEME: Mapping[str, Callable[[str], Any]] = _RefuseEveryScheme()


def rs_validator(schema: Any, **options: Any) -> Any:
    """A jsonschema-rs 2020-12 validator that never retrieves a resource.

    jsonschema-rs refuses a ``list`` subclass inside a schema, so a frozen document
    (:mod:`accord.core.frozen`) is handed over as a plain copy.
    """
    import jsonschema_rs

    return jsonschema_rs.Draft202012Validator(thaw(schema), offline=True, **options)


def rs_declared_validator(schema: Any, dialect: str, **options: Any) -> Any:
    """A jsonschema-rs validator of ``dialect`` (``2020-12``, ``2019-09``, ``draft-07``,
    ``draft-06`` or ``draft-04``) for a document as written, never retrieving anything.

    accord validates normalised 2020-12 documents (:func:`rs_validator`); this one reads
    a document in the dialect it declares, to check that normalisation keeps meaning and
    to settle external suites' labels.
    """
    import jsonschema_rs

    cls = {
        "2019-09": jsonschema_rs.Draft201909Validator,
        "draft-07": jsonschema_rs.Draft7Validator,
        "draft-06": jsonschema_rs.Draft6Validator,
        "draft-04": jsonschema_rs.Draft4Validator,
    }.get(dialect, jsonschema_rs.Draft202012Validator)
    return cls(thaw(schema), offline=True, **options)


def not_json_schema_error(document: Any, exc: Exception, *, file: str | None = None) -> Exception:
    """The :class:`SchemaError` for a Python ``document`` jsonschema-rs refused to read
    (``exc``, its ``ValueError``): ``schema-not-json`` at the first value or key that is
    no JSON value (:func:`~accord.core.jsondoc.not_json_at`), else at the root with
    jsonschema-rs's message."""
    from accord.core.jsondoc import not_json_at
    from accord.errors import SchemaError

    found = not_json_at(document)
    pointer, what = found if found is not None else ("", str(exc)[:200])
    return SchemaError(
        f"the schema holds no JSON value at {pointer or 'its root'}: {what}; a schema is "
        "JSON (dict, list, str, int, float, bool, None)",
        code="schema-not-json",
        file=file,
        pointer=pointer,
    )


def rs_metaschema_error(
    schema: Any, *, plain: bool = False
) -> tuple[str, tuple[str | int, ...]] | None:
    """Why jsonschema-rs refuses ``schema`` under its metaschema (message and the path to
    the offending value), or None when it accepts it.

    The metaschema is the one ``$schema`` names (2020-12 without one); call this only
    for a dialect accord supports, whose metaschema jsonschema-rs carries (nothing is
    fetched). ``plain``: ``schema`` is already a plain copy (:func:`thaw`'s), read as
    it is.
    """
    import jsonschema_rs

    try:
        jsonschema_rs.meta.validate(schema if plain else thaw(schema))
    except jsonschema_rs.ValidationError as exc:
        return str(exc.message), tuple(exc.instance_path)
    return None


@lru_cache(maxsize=1)
def offline_registry() -> Any:
    """A ``referencing`` registry whose ``retrieve`` refuses every URI."""
    from referencing import Registry

    return Registry(retrieve=refuse_retrieval)  # type: ignore[call-arg]


def py_validator_class(dialect: str) -> Any:
    """The python-jsonschema class for ``dialect`` (``2020-12``, ``2019-09``,
    ``draft-07``, ``draft-06`` or ``draft-04``).

    Build instances with :func:`py_validator`, which gives them the refusing registry.
    """
    import jsonschema

    return {
        "2019-09": jsonschema.Draft201909Validator,
        "draft-07": jsonschema.Draft7Validator,
        "draft-06": jsonschema.Draft6Validator,
        "draft-04": jsonschema.Draft4Validator,
    }.get(dialect, jsonschema.Draft202012Validator)


def py_validator(cls: Any, schema: Any, **options: Any) -> Any:
    """A python-jsonschema validator of class ``cls`` that never retrieves a resource.

    ``options`` may carry its own ``registry`` (one that serves registry documents
    only); without one, the refusing :func:`offline_registry` is used.
    """
    options.setdefault("registry", offline_registry())
    return cls(schema, **options)


def fast_compile(schema: Any, **options: Any) -> Any:
    """``fastjsonschema.compile`` with every scheme's retrieval refused.

    fastjsonschema rewrites ``$ref`` values in the schema it is given, so it gets a
    plain copy (never a registry's shared, frozen document).
    """
    import fastjsonschema

    return fastjsonschema.compile(thaw(schema), handlers=REFUSE_EVERY_SCHEME, **options)


def fast_compile_to_code(schema: Any, **options: Any) -> str:
    """``fastjsonschema.compile_to_code`` with every scheme's retrieval refused (on a
    plain copy, as :func:`fast_compile`)."""
    import fastjsonschema

    return str(
        fastjsonschema.compile_to_code(thaw(schema), handlers=REFUSE_EVERY_SCHEME, **options)
    )
