"""README's Quick start runs as written: its console block, line by line, in a new git
repository, then its Python snippet against what the block made.

A new user follows these lines first; each used to assume a step it did not show (the
schema file, a commit before `check --against`, a version the block never published).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"


def _block(fence: str) -> str:
    """The first ``fence`` code block after the Quick start heading."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Quick start") :]
    found = re.search(rf"^```{fence}\n(.*?)^```$", section, re.MULTILINE | re.DOTALL)
    assert found, f"no ```{fence} block in README's Quick start"
    return found.group(1)


def _script() -> str:
    """The console block as a shell script: prompts and trailing comments dropped."""
    lines = []
    for written in _block("console").splitlines():
        line = written.removeprefix("$ ")
        lines.append(re.sub(r"\s+# .*$", "", line) if not line.startswith("{") else line)
    return "\n".join(lines) + "\n"


@pytest.mark.timeout(180)
def test_the_quick_start_runs_as_written(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "GIT_AUTHOR_NAME": "a",
        "GIT_AUTHOR_EMAIL": "a@example.com",
        "GIT_COMMITTER_NAME": "a",
        "GIT_COMMITTER_EMAIL": "a@example.com",
        "GIT_CONFIG_GLOBAL": os.devnull,
    }
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=tmp_path, check=True, env=env)
    script = _script()
    # `accord diff ... new.json` compares with "a changed copy": make one (an added
    # optional property) just before that line.
    before, diff, after = script.partition("accord diff")
    assert diff, "the Quick start no longer runs accord diff"
    (tmp_path / "make_new.py").write_text(
        "import json\n"
        "d = json.load(open('order-placed.json'))\n"
        "d['properties']['note'] = {'type': 'string'}\n"
        "json.dump(d, open('new.json', 'w'))\n",
        encoding="utf-8",
    )
    script = before + f"{sys.executable} make_new.py\n" + diff + after
    run = subprocess.run(
        ["bash", "-e", "-c", script],
        check=False,
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "required bump: minor" in run.stdout
    lock = (tmp_path / "contracts" / "accord.lock").read_text(encoding="utf-8")
    assert lock.startswith("orders.order-placed 1.0.0 sha256:")

    snippet = _block("python") + "print(json.dumps(event))\n"
    run = subprocess.run(
        [sys.executable, "-c", "import json\n" + snippet],
        check=False,
        cwd=tmp_path,
        env={**env, "PYTHONPATH": str(tmp_path)},
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert json.loads(run.stdout.splitlines()[-1]) == {"order_id": "o-1", "total": 19.99}
