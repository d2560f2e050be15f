"""Two Pact participants whose names slugify alike are not one consumer (or provider).

``Web App``, ``web-app`` and ``web_app`` are three pacticipants to a Pact broker; ``pact
import`` slugified all three to ``web-app`` and merged their interactions into one
consumer's expectations (the stored name mapping then listed all three), so a
verification of one counted for the others and an export named only one of them. As
with contract names that differ only in case or ``-`` vs ``_``, the second spelling is
refused (``name-collision`` naming both, exit 2, nothing written).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from accord.cli import main

REPO = Path(__file__).resolve().parents[2]
MAP = [
    "--map",
    "GET /users/{id} 200=users.user@^1",
    "--map",
    "GET /orders/{id} 200=common.money@^1",
]


def _pact(consumer: str, provider: str, description: str, path: str = "/users/1") -> Any:
    return {
        "consumer": {"name": consumer},
        "provider": {"name": provider},
        "interactions": [
            {
                "description": description,
                "request": {"method": "GET", "path": path},
                "response": {"status": 200, "body": {"id": 1}},
            }
        ],
        "metadata": {"pactSpecification": {"version": "3.0.0"}},
    }


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = tmp_path / "reg"
    shutil.copytree(REPO / "contracts", root)
    return root


def _write(tmp_path: Path, name: str, doc: Any) -> str:
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(doc))
    return str(path)


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in sorted((root / "consumers").rglob("*")) if p.is_file()}


CASES = {
    "consumer-case-and-space": (("Web App", "users-service"), ("web-app", "users-service")),
    "consumer-underscore": (("web-app", "users-service"), ("web_app", "users-service")),
    "consumer-other-provider": (("Web App", "users-service"), ("web_app", "orders-service")),
    "provider": (("web", "Users Service"), ("web", "users-service")),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_second_spelling_is_refused_in_a_later_import(
    case: str, root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (c1, p1), (c2, p2) = CASES[case]
    first = _write(tmp_path, "first", _pact(c1, p1, "one"))
    path2 = "/orders/1" if p2 == "orders-service" else "/users/1"
    second = _write(tmp_path, "second", _pact(c2, p2, "two", path2))
    assert main(["pact", "import", first, *MAP, "--registry", str(root)]) == 0
    capsys.readouterr()
    before = _tree(root)
    assert main(["pact", "import", second, *MAP, "--registry", str(root)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error[name-collision]:"), err
    assert repr(c1 if c1 != c2 else p1) in err
    assert repr(c2 if c1 != c2 else p2) in err
    assert _tree(root) == before


@pytest.mark.parametrize("case", sorted(CASES))
def test_two_spellings_in_one_import_are_refused(
    case: str, root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (c1, p1), (c2, p2) = CASES[case]
    first = _write(tmp_path, "first", _pact(c1, p1, "one"))
    path2 = "/orders/1" if p2 == "orders-service" else "/users/1"
    second = _write(tmp_path, "second", _pact(c2, p2, "two", path2))
    before = _tree(root)
    assert main(["pact", "import", first, second, *MAP, "--registry", str(root)]) == 2
    assert capsys.readouterr().err.startswith("error[name-collision]:")
    assert _tree(root) == before


def test_the_same_spelling_again_is_one_participant(root: Path, tmp_path: Path) -> None:
    first = _write(tmp_path, "first", _pact("Web App", "users-service", "one"))
    second = _write(tmp_path, "second", _pact("Web App", "users-service", "two"))
    assert main(["pact", "import", first, *MAP, "--registry", str(root)]) == 0
    assert main(["pact", "import", second, *MAP, "--registry", str(root)]) == 0
    stored = json.loads((root / "consumers" / "web-app" / "users-service.json").read_text())
    assert [i["description"] for i in stored["interactions"]] == ["one", "two"]
    assert stored["names"] == {"Web App": "web-app", "users-service": "users-service"}
