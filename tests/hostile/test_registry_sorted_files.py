"""A version file laid out as a sorted, indented writing (what ``Registry.load`` takes on
one sorted re-writing of its parse, ``jsondoc.loads_written``) is refused exactly as the
strict loader refuses it: a duplicate key, a lone surrogate, NaN or too deep a nesting
never pass for the writer's own text."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.core.jsondoc import loads
from accord.errors import DocumentError, RegistryError
from accord.registry.model import Registry

HEAD = b'{\n  "$schema": "https://json-schema.org/draft/2020-12/schema",\n'
FILES = [
    pytest.param(HEAD + b'  "type": "object",\n  "type": "object"\n}\n', id="duplicate"),
    pytest.param(HEAD + b'  "title": "a",\n  "titl\\u0065": "a"\n}\n', id="duplicate-escaped"),
    pytest.param(HEAD + b'  "title": "\\ud800",\n  "type": "object"\n}\n', id="lone-surrogate"),
    pytest.param(HEAD + b'  "maximum": NaN,\n  "type": "object"\n}\n', id="nan"),
    pytest.param(
        HEAD + b'  "default": ' + b"[" * 70 + b"]" * 70 + b',\n  "type": "object"\n}\n',
        id="too-deep",
    ),
]


@pytest.mark.parametrize("data", FILES)
def test_a_sorted_indented_file_is_refused_as_the_strict_loader_refuses_it(
    tmp_path: Path, data: bytes
) -> None:
    with pytest.raises(DocumentError) as strict:
        loads(data)
    directory = tmp_path / "ns" / "c"
    directory.mkdir(parents=True)
    (directory / "contract.toml").write_text('owner = "team"\nkind = "event"\n')
    (directory / "1.0.0.schema.json").write_bytes(data)
    with pytest.raises(RegistryError) as info:
        Registry.load(tmp_path)
    problems = [(p.code, p.file, p.pointer, p.line) for p in info.value.problems]
    assert (strict.value.code, "ns/c/1.0.0.schema.json", "", strict.value.line) in problems
