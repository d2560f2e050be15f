"""A few real subprocess runs of the installed command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from accord import __version__

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "contracts"
HEAVY = ("jsonschema", "jsonschema_rs", "pydantic", "referencing")


def _run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("ACCORD_DEBUG", None)
    return subprocess.run(
        [sys.executable, *args],
        input=stdin,
        capture_output=True,
        cwd=REPO,
        env=env,
        # The demo runs a dozen commands: a loaded 2-core CI machine needs more than a
        # minute (pytest-timeout's 300 s stays the outer bound).
        timeout=240,
        check=False,
    )


def test_python_m_accord_version() -> None:
    done = _run("-m", "accord", "--version")
    assert done.returncode == 0
    assert done.stdout.decode() == f"accord {__version__}\n"
    assert done.stderr == b""


def test_console_script_help() -> None:
    # `make` installs the project into the venv, console script included
    script = Path(sys.executable).parent / "accord"
    assert script.exists(), "the accord console script is not installed: run make"
    done = subprocess.run([str(script), "--help"], capture_output=True, timeout=60, check=False)
    assert done.returncode == 0
    assert b"usage: accord" in done.stdout


def test_help_and_version_import_nothing_heavy() -> None:
    # What `accord --help` does: import the CLI and build the full parser, with every
    # command module registered. None of them may import a validator or pydantic at
    # import time, or every invocation pays for it (the 150 ms start-up budget).
    code = (
        "import sys, accord.cli\n"
        "accord.cli.build_parser()\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {set(HEAVY)!r}))\n"
    )
    done = _run("-c", code)
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.decode().strip() == "[]"


def test_version_imports_no_parser_and_no_command_module() -> None:
    # `accord --version` is held to twice the interpreter's own start-up (issue 17): it
    # answers before the parser is built, so it imports neither argparse nor typing,
    # dataclasses, pathlib or any command module.
    code = (
        "import json, sys\n"
        "before = set(sys.modules)\n"
        "from accord.cli import main\n"
        "assert main(['--version']) == 0\n"
        "print(json.dumps(sorted(set(sys.modules) - before)))\n"
    )
    done = _run("-c", code)
    assert done.returncode == 0, done.stderr.decode()
    out, imported = done.stdout.decode().splitlines()
    assert out == f"accord {__version__}"
    loaded = set(json.loads(imported))
    assert not loaded & {"argparse", "typing", "dataclasses", "pathlib", "inspect"}
    assert not {m for m in loaded if m.startswith("accord.cli._")}
    assert {m for m in loaded if m.startswith("accord")} <= {
        "accord",
        "accord._version",
        "accord.cli",
    }


def test_lint_example_registry() -> None:
    done = _run("-m", "accord", "lint", "--registry", str(EXAMPLE))
    assert done.returncode == 0, done.stdout.decode() + done.stderr.decode()


def test_validate_invalid_payload_exits_1() -> None:
    payload = EXAMPLE / "orders/order-placed/examples/1.0.0/invalid/negative-quantity.json"
    done = _run(
        "-m",
        "accord",
        "validate",
        "orders.order-placed@1.0.0",
        str(payload),
        "--registry",
        str(EXAMPLE),
        "--format",
        "json",
    )
    assert done.returncode == 1
    assert done.stderr == b""
    doc = json.loads(done.stdout)
    assert doc["payloads"][0]["errors"][0]["json_path"] == "$.line_items[0].quantity"


def test_validate_stdin() -> None:
    payload = EXAMPLE / "users/user/examples/1.0.0/valid/ada.json"
    done = _run(
        "-m",
        "accord",
        "validate",
        "users.user@1.0.0",
        "-",
        "--registry",
        str(EXAMPLE),
        stdin=payload.read_bytes(),
    )
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.decode().startswith("<stdin>: valid")


@pytest.mark.slow
def test_demo_script_runs_every_step_as_expected() -> None:
    done = _run(str(REPO / "scripts" / "demo.py"))
    assert done.returncode == 0, done.stdout.decode() + done.stderr.decode()
    assert b"demo finished" in done.stdout


def _closed_reader(*args: str) -> int:
    """Run ``accord ARGS | head -0``: the reader is gone before accord writes a byte."""
    env = {**os.environ, "NO_COLOR": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "accord", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=REPO,
        env=env,
    )
    assert proc.stdout is not None
    proc.stdout.close()
    _, err = proc.communicate(timeout=60)
    assert b"Traceback" not in err
    return proc.returncode


def test_a_closed_pipe_leaves_a_printing_command_successful() -> None:
    # `accord show X | head -1` has printed what was asked for.
    assert _closed_reader("show", "orders.order-placed", "--registry", "contracts") == 0


def test_a_closed_pipe_never_turns_a_verdict_into_a_yes() -> None:
    # `accord check | head` under `set -o pipefail`: the verdict was not delivered.
    assert _closed_reader("check", "--registry", "contracts") == 1


@pytest.mark.parametrize(
    ("arguments", "modules"),
    [
        (["--help"], []),
        ([], []),
        (["check", "--help"], ["accord.cli._cmd_check"]),
        (["rules", "--help"], ["accord.cli._cmd_rules"]),
    ],
)
def test_help_and_dispatch_import_only_the_command_module_they_need(
    arguments: list[str], modules: list[str]
) -> None:
    code = (
        "import json, sys\n"
        "from accord.cli import main\n"
        f"main({arguments!r})\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('accord.cli._cmd_'))))\n"
    )
    done = _run("-c", code)
    assert done.returncode == 0, done.stderr.decode()
    assert json.loads(done.stdout.decode().splitlines()[-1]) == modules


def test_check_in_text_imports_no_xml() -> None:
    # xml.sax (urllib.request, email) is for --format junit only.
    code = (
        "import sys\n"
        "from accord.cli import main\n"
        f"main(['check', '--registry', {str(EXAMPLE)!r}, '--no-cache'])\n"
        "print('xml.sax.saxutils' in sys.modules)\n"
    )
    done = _run("-c", code)
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.decode().splitlines()[-1] == "False"
