"""``accord fmt`` never changes a number's value.

Big and precise literals are written back as their own text: a 400-digit decimal is
not turned into ``Infinity`` (which lint then calls ``json-nan``), ``1e-400`` is not
turned into ``0.0``, and a literal with more digits than a double holds keeps them.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from accord.cli import main
from accord.core import jsondoc as _jsondoc

HUGE = "9" * 400 + ".5"
LITERALS = [
    pytest.param(HUGE, id="400-digit-decimal"),
    pytest.param("1e-400", id="underflow"),
    pytest.param("-2.5e-330", id="subnormal-underflow"),
    pytest.param("0.10000000000000000000000001", id="beyond-double-precision"),
    pytest.param("1e400", id="overflow-exponent"),
    pytest.param("1e5000", id="integral-beyond-int-digit-limit"),
]


def _registry(tmp_path: Path, literal: str) -> Path:
    root = tmp_path / "contracts"
    directory = root / "orders" / "thing"
    directory.mkdir(parents=True)
    (directory / "contract.toml").write_text('owner = "team-a"\nkind = "event"\n')
    (directory / "1.0.0.schema.json").write_text(
        '{"type": "number", "maximum": ' + literal + ",\n"
        ' "$schema": "https://json-schema.org/draft/2020-12/schema"}'
    )
    return root


@pytest.mark.parametrize("literal", LITERALS)
def test_fmt_keeps_every_number_exactly(
    tmp_path: Path, literal: str, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _registry(tmp_path, literal)
    path = root / "orders" / "thing" / "1.0.0.schema.json"
    assert main(["fmt", "--registry", str(root)]) == 0
    text = path.read_text()
    assert "Infinity" not in text
    written = _jsondoc.loads(text, exact_numbers=True)["maximum"]
    assert Decimal(str(written)) == Decimal(literal)
    # Formatting is a fixed point, and the formatted file lints without json-nan.
    assert main(["fmt", "--registry", str(root), "--check"]) == 0
    capsys.readouterr()
    main(["lint", "--registry", str(root)])
    assert "json-nan" not in capsys.readouterr().out


@pytest.mark.parametrize("literal", LITERALS)
def test_canonical_dumps_round_trips_exact_numbers(literal: str) -> None:
    value = _jsondoc.loads("[" + literal + "]", exact_numbers=True)
    again = _jsondoc.loads(_jsondoc.canonical_dumps(value), exact_numbers=True)
    assert Decimal(str(again[0])) == Decimal(literal)


def test_plain_floats_stay_floats() -> None:
    assert _jsondoc.loads("[0.1, 1.5e3, -0.0]", exact_numbers=True) == [0.1, 1500.0, -0.0]
    assert all(type(x) is float for x in _jsondoc.loads("[0.1, 1.5e3]", exact_numbers=True))


@pytest.mark.parametrize("literal", ["1e-400", "0.10000000000000000000000001", "9" * 400 + ".5"])
def test_publish_refuses_a_number_it_would_round(
    tmp_path: Path, literal: str, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "contracts"
    directory = root / "orders" / "thing"
    directory.mkdir(parents=True)
    (directory / "contract.toml").write_text('owner = "team-a"\nkind = "event"\n')
    source = tmp_path / "next.schema.json"
    source.write_text('{"type": "number", "maximum": ' + literal + "}")
    code = main(["publish", "orders.thing", "--schema", str(source), "--registry", str(root)])
    assert code == 2
    assert capsys.readouterr().err.startswith("error[json-number-inexact]: ")
    assert sorted(p.name for p in directory.iterdir()) == ["contract.toml"]
    assert not (root / "accord.lock").exists()


def test_publish_keeps_big_integral_numbers_exact(tmp_path: Path) -> None:
    root = tmp_path / "contracts"
    directory = root / "orders" / "thing"
    directory.mkdir(parents=True)
    (directory / "contract.toml").write_text('owner = "team-a"\nkind = "event"\n')
    source = tmp_path / "next.schema.json"
    source.write_text('{"type": "integer", "maximum": 1e400, "minimum": 0.5}')
    assert main(["publish", "orders.thing", "--schema", str(source), "--registry", str(root)]) == 0
    published = _jsondoc.loads((directory / "1.0.0.schema.json").read_text())
    assert published["maximum"] == 10**400
    assert published["minimum"] == 0.5
