"""A field path's array index is bounded: ``$.items[1000000000]`` is bad input.

Every reader of an expectation builds something the size of its largest index: the
JSON Schema translation a ``prefixItems`` of that many entries (``verify --static``,
``check``/``diff`` naming consumers), Pact export and the stub an example array of
that many items. An index of 10**8 took 40 s and 400 MB; 10**9 exhausted memory, from
one line of a consumer's expectation.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from accord.cli import main
from accord.consumers._matchers import MAX_PATH_INDEX, parse_path
from accord.errors import DocumentError

sys.path.insert(0, str(Path(__file__).parents[1] / "provider"))
from _provider_support import registry_root  # the provider tests' fixture

__all__ = ["registry_root"]

HUGE = "$.tags[1000000000]"


def test_an_index_over_the_cap_is_a_bad_path() -> None:
    assert parse_path(f"$.tags[{MAX_PATH_INDEX}]") == (("key", "tags"), ("index", MAX_PATH_INDEX))
    with pytest.raises(DocumentError) as info:
        parse_path(f"$.tags[{MAX_PATH_INDEX + 1}]", file="f.json", pointer="/p")
    assert info.value.code == "expectation-bad-path"
    assert (info.value.file, info.value.pointer) == ("f.json", "/p")


@pytest.mark.parametrize(
    "index",
    ["1" * 5000, "\u0663", "1\u0663"],
    ids=["5000-digits", "arabic-indic-digit", "mixed-digits"],
)
def test_an_index_is_ascii_digits_of_bounded_length(index: str) -> None:
    """5000 digits raised ValueError (int()'s digit limit): exit 3; ``isdigit`` took
    other scripts' digits, which format_path then wrote as a different path."""
    with pytest.raises(DocumentError) as info:
        parse_path(f"$.tags[{index}]")
    assert info.value.code == "expectation-bad-path"


def test_static_verification_refuses_a_huge_index(
    registry_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = registry_root / "consumers" / "billing" / "users.json"
    doc = json.loads(path.read_text())
    doc["interactions"][0]["response"]["body"]["fields"].append({"path": HUGE, "match": "string"})
    path.write_text(json.dumps(doc))
    assert main(["verify", "--static", "--registry", str(registry_root)]) == 2
    err = capsys.readouterr().err
    assert "expectation-bad-path" in err
    assert "consumers/billing/users.json" in err
