"""accord package: the wheel and sdist written by hand follow the specs, deterministically;
accord expectations export."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import tarfile
import tomllib
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest
from _dist_helpers import V1, make_registry

from _registry_builders import write
from accord.cli import main
from accord.distribution.wheel import (
    default_name,
    export_expectations,
    package_registry,
)
from accord.errors import UsageError
from accord.registry.model import Registry


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    root = make_registry(tmp_path / "acme-contracts" / "contracts")
    write(root / "accord.toml", 'mode = "none"\n')
    # a draft of the next version: on disk, not in the lock
    write(root / "shop" / "order" / "3.1.0.schema.json", json.dumps(V1))
    write(
        root / "shop" / "order" / "examples" / "1.0.0" / "valid" / "a.json",
        '{"id": 1, "amount": 2}',
    )
    write(root / "shop" / "order" / "model.py", "# authoring only\n")
    write(root / "verifications" / "p" / "1.json", "{}")
    write(root / "consumers" / "billing" / "orders.json", json.dumps(expectation("1.0.0")))
    return root


def expectation(version: str | None, field: str = "$.id") -> dict[str, object]:
    consumer: dict[str, str] = {"name": "billing"}
    if version is not None:
        consumer["version"] = version
    return {
        "format_version": 1,
        "consumer": consumer,
        "reads": [
            {
                "contract": "shop.order@^1",
                "fields": [{"path": field, "match": "integer", "example": 1}],
            }
        ],
    }


def build(registry: Path, out: Path, **kwargs: object) -> tuple[zipfile.ZipFile, Path, Path]:
    result = package_registry(registry, out, models=False, **kwargs)  # type: ignore[arg-type]
    return zipfile.ZipFile(result.wheel), result.wheel, result.sdist


def test_wheel_follows_the_wheel_spec(registry: Path, tmp_path: Path) -> None:
    wheel, path, _ = build(registry, tmp_path / "dist")
    assert path.name == "acme_contracts-1.4.0-py3-none-any.whl"
    names = wheel.namelist()
    info = "acme_contracts-1.4.0.dist-info"
    assert names[-1] == f"{info}/RECORD"
    assert all(n.startswith(f"{info}/") for n in names[-5:])
    # RECORD: every file, with its urlsafe-b64 sha256 and size; RECORD itself unhashed
    rows = list(csv.reader(io.StringIO(wheel.read(f"{info}/RECORD").decode())))
    assert sorted(r[0] for r in rows) == sorted(names)
    for name, hash_, size in rows:
        if name.endswith("RECORD"):
            assert (hash_, size) == ("", "")
            continue
        data = wheel.read(name)
        expected = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        assert (hash_, int(size)) == (f"sha256={expected}", len(data))
    meta = Parser().parsestr(wheel.read(f"{info}/METADATA").decode())
    assert (meta["Name"], meta["Version"], meta["Metadata-Version"]) == (
        "acme-contracts",
        "1.4.0",
        "2.2",
    )
    assert meta["Requires-Dist"].startswith("accord>=")
    assert "Root-Is-Purelib: true" in wheel.read(f"{info}/WHEEL").decode()
    assert wheel.read(f"{info}/entry_points.txt").decode() == (
        "[accord.registries]\nacme-contracts = acme_contracts:registry_root\n"
    )
    for zinfo in wheel.infolist():
        assert zinfo.date_time == (1980, 1, 1, 0, 0, 0)


@pytest.mark.parametrize(
    ("versions", "summary"),
    [
        (["1.0.0"], "1 contract, 1 published version"),
        (["1.0.0", "1.1.0"], "1 contract, 2 published versions"),
    ],
)
def test_summary_counts_read_as_english(tmp_path: Path, versions: list[str], summary: str) -> None:
    """The Summary said "1 contracts, 1 published versions"."""
    root = make_registry(tmp_path / "contracts", versions=dict.fromkeys(versions, V1))
    wheel, path, _ = build(root, tmp_path / "dist")
    info = path.name.split("-py3")[0] + ".dist-info"
    meta = Parser().parsestr(wheel.read(f"{info}/METADATA").decode())
    assert meta["Summary"] == f"accord contract registry: {summary}"


def test_wheel_carries_the_published_registry_only(registry: Path, tmp_path: Path) -> None:
    wheel, _, _ = build(registry, tmp_path / "dist")
    data = sorted(
        n.removeprefix("acme_contracts/registry/")
        for n in wheel.namelist()
        if n.startswith("acme_contracts/registry/")
    )
    assert data == [
        "accord.lock",
        "accord.toml",
        "consumers/billing/orders.json",
        "shop/order/1.0.0.schema.json",
        "shop/order/1.1.0.schema.json",
        "shop/order/2.0.0.schema.json",
        "shop/order/3.0.0.schema.json",
        "shop/order/contract.toml",
        "shop/order/examples/1.0.0/valid/a.json",
    ]
    index = json.loads(wheel.read("acme_contracts/index.json"))
    assert index["name"] == "acme-contracts"
    assert index["contracts"]["shop.order"]["latest"] == "3.0.0"
    assert sorted(index["contracts"]["shop.order"]["versions"]) == [
        "1.0.0",
        "1.1.0",
        "2.0.0",
        "3.0.0",
    ]


def test_packaged_registry_loads(registry: Path, tmp_path: Path) -> None:
    wheel, _, _ = build(registry, tmp_path / "dist")
    wheel.extractall(tmp_path / "site")
    loaded = Registry.load(tmp_path / "site" / "acme_contracts" / "registry")
    assert loaded.get("shop.order@^1").version.triple == (1, 1, 0)


def test_output_is_deterministic(registry: Path, tmp_path: Path) -> None:
    _, wheel_a, sdist_a = build(registry, tmp_path / "a")
    _, wheel_b, sdist_b = build(registry, tmp_path / "b")
    assert wheel_a.read_bytes() == wheel_b.read_bytes()
    assert sdist_a.read_bytes() == sdist_b.read_bytes()


def test_sdist_can_be_rebuilt(registry: Path, tmp_path: Path) -> None:
    _, wheel, sdist = build(registry, tmp_path / "dist")
    assert sdist.name == "acme_contracts-1.4.0.tar.gz"
    with tarfile.open(sdist) as archive:
        members = archive.getmembers()
        assert {m.name.split("/")[0] for m in members} == {"acme_contracts-1.4.0"}
        assert all(m.mtime == 315532800 and m.uid == 0 for m in members)
        pyproject = tomllib.loads(
            archive.extractfile("acme_contracts-1.4.0/pyproject.toml").read().decode()
        )  # type: ignore[union-attr]
        pkg_info = archive.extractfile("acme_contracts-1.4.0/PKG-INFO").read().decode()  # type: ignore[union-attr]
        payload = {m.name.split("/", 1)[1] for m in members} - {"pyproject.toml", "PKG-INFO"}
    assert pyproject["build-system"]["build-backend"] == "hatchling.build"
    assert pyproject["project"]["version"] == "1.4.0"
    assert pyproject["project"]["entry-points"]["accord.registries"] == {
        "acme-contracts": "acme_contracts:registry_root"
    }
    assert "Version: 1.4.0" in pkg_info
    wheel_payload = {n for n in zipfile.ZipFile(wheel).namelist() if ".dist-info/" not in n}
    assert payload == wheel_payload


@pytest.mark.parametrize(
    ("kwargs", "wheel_name"),
    [
        pytest.param({}, "acme_contracts-1.4.0-py3-none-any.whl", id="derived"),
        pytest.param({"version": "2.0"}, "acme_contracts-2.0-py3-none-any.whl", id="given"),
        pytest.param(
            {"version": "v1.04.0rc1"}, "acme_contracts-1.4.0rc1-py3-none-any.whl", id="normalised"
        ),
        pytest.param({"name": "Acme.Schemas"}, "acme_schemas-1.4.0-py3-none-any.whl", id="name"),
    ],
)
def test_names_and_versions(
    registry: Path, tmp_path: Path, kwargs: dict[str, str], wheel_name: str
) -> None:
    _, wheel, _ = build(registry, tmp_path / "dist", **kwargs)
    assert wheel.name == wheel_name


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        pytest.param({"version": "one"}, "package-bad-version", id="bad-version"),
        pytest.param({"version": "1.0+local"}, "package-bad-version", id="local-version"),
        pytest.param({"name": "-bad"}, "package-bad-name", id="bad-name"),
        pytest.param({"name": "accord"}, "package-bad-name", id="shadows-accord"),
        pytest.param({"name": "1abc"}, "package-bad-name", id="not-an-identifier"),
        # installed, the wheel would replace another distribution's modules (or Python's)
        pytest.param({"name": "pydantic"}, "package-name-taken", id="an-installed-library"),
        pytest.param({"name": "PyDantic"}, "package-name-taken", id="its-spelling-too"),
        pytest.param({"name": "jsonschema-rs"}, "package-name-taken", id="its-distribution"),
        pytest.param({"name": "json"}, "package-name-taken", id="the-standard-library"),
        pytest.param({"name": "typing.extensions"}, "package-name-taken", id="a-module-spelling"),
    ],
)
def test_bad_names_and_versions(
    registry: Path, tmp_path: Path, kwargs: dict[str, str], code: str
) -> None:
    with pytest.raises(UsageError) as info:
        package_registry(registry, tmp_path / "dist", models=False, **kwargs)  # type: ignore[arg-type]
    assert info.value.code == code
    assert not (tmp_path / "dist").exists()


def test_nothing_published_is_refused(tmp_path: Path) -> None:
    root = make_registry(tmp_path / "contracts", publish=False)
    with pytest.raises(UsageError) as info:
        package_registry(root, tmp_path / "dist", models=False)
    assert info.value.code == "package-empty"


@pytest.mark.parametrize(
    ("path", "name"),
    [
        pytest.param("acme-contracts/contracts", "acme-contracts", id="repo-named"),
        pytest.param("platform/contracts", "platform-contracts", id="repo-plain"),
        pytest.param("Shared Schemas", "shared-schemas-contracts", id="registry-dir"),
        pytest.param("x/team-registry", "team-registry", id="already-suffixed"),
    ],
)
def test_default_name(tmp_path: Path, path: str, name: str) -> None:
    assert default_name(tmp_path / path) == name


def test_models_are_packaged(registry: Path, tmp_path: Path) -> None:
    result = package_registry(registry, tmp_path / "dist")
    wheel = zipfile.ZipFile(result.wheel)
    assert result.models == "acme_contracts_models"
    assert "acme_contracts_models/shop/order/v2_0_0.py" in wheel.namelist()
    index = json.loads(wheel.read("acme_contracts/index.json"))
    assert index["contracts"]["shop.order"]["versions"]["2.0.0"]["model"] == (
        "acme_contracts_models.shop.order.v2_0_0:Order"
    )


def test_cli_package(registry: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "package",
            "--registry",
            str(registry),
            "--out",
            str(tmp_path / "d"),
            "--no-models",
            "--version",
            "3",
            "--format",
            "json",
        ]
    )
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert out["version"] == "3"
    assert out["skipped"] == ["shop/order/3.1.0.schema.json"]
    assert Path(out["wheel"]).is_file()


# -- expectations export ---------------------------------------------------------------


@pytest.fixture
def central(tmp_path: Path) -> Path:
    return make_registry(tmp_path / "central")


def test_export_places_expectations_with_the_consumer_version(
    registry: Path, central: Path
) -> None:
    entries = export_expectations(registry, central, consumer_version="abc123")
    assert [(e.file, e.action, e.version) for e in entries] == [
        ("consumers/billing/orders.json", "added", "abc123")
    ]
    doc = json.loads((central / "consumers" / "billing" / "orders.json").read_text())
    assert doc["consumer"]["version"] == "abc123"
    again = export_expectations(registry, central, consumer_version="abc123")
    assert again[0].action == "unchanged"
    newer = export_expectations(registry, central, consumer_version="def456")
    assert newer[0].action == "updated"


def test_export_refuses_a_different_expectation_for_the_same_version(
    registry: Path, central: Path
) -> None:
    write(
        central / "consumers" / "billing" / "orders.json",
        json.dumps(expectation("1.0.0", "$.amount")),
    )
    before = (central / "consumers" / "billing" / "orders.json").read_bytes()
    with pytest.raises(UsageError) as info:
        export_expectations(registry, central)
    assert info.value.code == "expectations-conflict"
    assert "consumers/billing/orders.json" in info.value.message
    assert (central / "consumers" / "billing" / "orders.json").read_bytes() == before
    forced = export_expectations(registry, central, force=True)
    assert forced[0].action == "replaced"
    assert json.loads(
        (central / "consumers" / "billing" / "orders.json").read_text()
    ) == expectation("1.0.0")


def test_export_needs_a_consumer_version(registry: Path, central: Path) -> None:
    write(registry / "consumers" / "billing" / "orders.json", json.dumps(expectation(None)))
    with pytest.raises(UsageError) as info:
        export_expectations(registry, central)
    assert info.value.code == "expectations-no-version"
    assert not (central / "consumers").exists()


def test_export_cli(registry: Path, central: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "expectations",
            "export",
            "--registry",
            str(registry),
            "--to",
            str(central),
            "--consumer",
            "billing",
            "--format",
            "json",
        ]
    )
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert out["exported"][0]["action"] == "added"
    assert (
        main(
            [
                "expectations",
                "export",
                "--registry",
                str(registry),
                "--to",
                str(central / "missing"),
            ]
        )
        == 2
    )


def test_a_name_an_installed_registry_package_holds_is_its_own_to_reuse(
    registry: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A newer release of a registry package already installed (its distribution declares
    # the accord.registries entry point) replaces it, as a release should.
    from accord.distribution import wheel

    monkeypatch.setattr(
        wheel, "_installed_owners", lambda: {"acme_contracts": {"acme-contracts": True}}
    )
    _, built, _ = build(registry, tmp_path / "dist", name="acme-contracts")
    assert built.name.startswith("acme_contracts-")
    # ... and one whose distribution is no registry package is refused, as is the
    # generated models' module (acme_contracts_models), which is the package's too
    for module, owner in (
        ("acme_contracts", "acme-tools"),
        ("acme_contracts_models", "acme-models"),
    ):
        owners = {module: {owner: False}}
        monkeypatch.setattr(wheel, "_installed_owners", lambda owners=owners: owners)
        out = tmp_path / f"dist-{module}"
        with pytest.raises(UsageError) as info:
            package_registry(registry, out, models=False, name="acme-contracts")
        assert info.value.code == "package-name-taken"
        assert module in str(info.value)
        assert owner in str(info.value)
        assert not out.exists()
