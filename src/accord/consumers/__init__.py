"""Consumer-driven contracts: expectations, Pact interop, static verification, impact.

Public names (re-exported lazily by ``accord`` where the lead wires them):

- the builder: :class:`Expectation` and the matchers :func:`like`, :func:`each_like`,
  :func:`regex`, :func:`integer`, :func:`decimal`, :func:`number`, :func:`boolean`,
  :func:`string`, :func:`enum`, :func:`date`, :func:`time`, :func:`datetime`,
  :func:`include`, :func:`not_empty`, :func:`null`, :func:`equals`, :func:`union`,
  :func:`optional`, :func:`nullable`;
- :func:`load_expectations` (every expectation of a registry), :func:`check_fields`;
- Pact: :func:`import_pact`, :func:`export_pact`, :func:`parse_map`;
- :func:`verify_static`; :func:`impact`, :func:`annotate`, :func:`field_usage`,
  :func:`consumers_only_blocking`; :func:`pending_status`.

Layer: may import :mod:`accord.compat`, :mod:`accord.registry` and below;
independent of :mod:`accord.codegen`.
"""

from __future__ import annotations

from accord.consumers._builder import (
    Expectation,
    Interaction,
    Matcher,
    boolean,
    date,
    datetime,
    decimal,
    each_like,
    enum,
    equals,
    include,
    integer,
    like,
    not_empty,
    null,
    nullable,
    number,
    optional,
    regex,
    string,
    time,
    union,
)
from accord.consumers._matchers import Mismatch, check_fields
from accord.consumers._model import ExpectationFile
from accord.consumers._model import discover as load_expectations
from accord.consumers._pact import export_pact, import_pact, parse_map

__all__ = [
    "Expectation",
    "ExpectationFile",
    "Interaction",
    "Matcher",
    "Mismatch",
    "boolean",
    "check_fields",
    "date",
    "datetime",
    "decimal",
    "each_like",
    "enum",
    "equals",
    "export_pact",
    "import_pact",
    "include",
    "integer",
    "like",
    "load_expectations",
    "not_empty",
    "null",
    "nullable",
    "number",
    "optional",
    "parse_map",
    "regex",
    "string",
    "time",
    "union",
]
