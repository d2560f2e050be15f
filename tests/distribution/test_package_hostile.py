"""``accord package`` with hostile settings: exit 2 and nothing written, never an
internal error half-way through writing."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from _dist_helpers import make_registry

from accord.cli import main


@pytest.mark.parametrize(
    "epoch", ["4294967296", "4354819200", "99999999999", "99999999999999999999999"]
)
def test_a_source_date_epoch_no_archive_can_hold_is_exit_2(
    epoch: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # gzip's mtime is 32 bits, zip's dates end in 2107, time_t ends somewhere: each was
    # an internal error (exit 3) after the registry had been read and checked.
    root = make_registry(tmp_path / "acme-contracts" / "contracts")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    out = tmp_path / "dist"
    assert main(["package", "--registry", str(root), "--no-models", "--out", str(out)]) == 2
    assert "package-bad-epoch" in capsys.readouterr().err
    assert not out.exists() or not any(out.iterdir())


def test_the_latest_epoch_a_gzip_header_holds_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_registry(tmp_path / "acme-contracts" / "contracts")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(2**32 - 1))
    out = tmp_path / "dist"
    assert main(["package", "--registry", str(root), "--no-models", "--out", str(out)]) == 0
    (wheel,) = out.glob("*.whl")
    assert zipfile.ZipFile(wheel).infolist()[0].date_time[0] == 2106
