"""``accord site``: what the pages say, determinism, atomic rebuilds, ``--serve``."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from _registry_builders import add_contract, publish, snapshot
from accord.cli import main
from accord.registry.model import Registry
from accord.site import MARKER, build_site, render_site, serve

# Loopback only, never through a proxy from the environment.
_open = urllib.request.build_opener(urllib.request.ProxyHandler({})).open

DIALECT = "https://json-schema.org/draft/2020-12/schema"
V1 = {
    "$schema": DIALECT,
    "type": "object",
    "properties": {"id": {"type": "integer", "minimum": 1, "description": "the id"}},
    "required": ["id"],
}
V11 = {**V1, "properties": {**V1["properties"], "name": {"type": "string", "examples": ["ada"]}}}
V2 = {**V1, "properties": {"id": {"type": "string"}}}


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    root = tmp_path / "contracts"
    publish(root, "orders.thing", {"1.0.0": V1, "1.1.0": V11, "2.0.0": V2})
    add_contract(root, "orders.thing", {"2.1.0": V2})  # a draft: not in the lock
    toml = root / "orders" / "thing" / "contract.toml"
    toml.write_text(
        'owner = "team-a"\nkind = "event"\nprovider = "orders-service"\n'
        '[yanked]\n"1.1.0" = "sent names nobody asked for"\n'
    )
    return root


def test_contract_page_marks_versions_and_shows_diffs(registry: Path) -> None:
    files = render_site(Registry.load(registry))
    page = files["contracts/orders.thing.html"].decode()
    assert 'badge yanked">yanked</span> <span class="reason">sent names nobody asked for' in page
    assert 'badge draft">draft' in page
    assert "Draft: not in <code>accord.lock</code>" in page
    # 2.0.0 is compared with 1.0.0 (1.1.0 is yanked): a major change with its rule and witness
    assert 'id="diff-2.0.0"' in page
    assert "Changes from 1.0.0" in page
    assert 'href="../rules/type-changed.html">type-changed</a>' in page
    assert "Witness: accepted by" in page
    # the schema tree: required, constraints, description, examples; the raw JSON
    assert 'badge required">required' in page
    assert "<dt>minimum</dt><dd><code>1</code></dd>" in page
    assert "the id" in page
    assert "<dt>example</dt><dd><code>&#34;ada&#34;</code></dd>" in page
    assert "<summary>Raw JSON of orders/thing/2.0.0.schema.json</summary>" in page
    assert "rules/type-changed.html" in files
    changelog = files["changelog/orders.thing.html"].decode()
    assert "<h3>2.0.0</h3>" in changelog
    assert "<code>type-changed</code>" in changelog
    index = files["index.html"].decode()
    assert "<td>2.0.0</td>" in index  # latest: neither the draft nor the yanked one


def test_rebuild_is_byte_identical_and_replaces_stale_files(registry: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    loaded = Registry.load(registry)
    first = build_site(loaded, out)
    assert (out / MARKER).is_file()
    assert first.pages == sum(1 for f in first.files if f.endswith(".html"))
    before = {k: v[:2] for k, v in snapshot(out).items()}
    (out / "stale.html").write_text("old")
    build_site(Registry.load(registry), out)
    assert {k: v[:2] for k, v in snapshot(out).items()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["contracts", "site"]


def test_cli_builds_into_out(
    registry: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "public"
    code = main(["site", "--registry", str(registry), "--out", str(out)])
    assert code == 0
    assert capsys.readouterr().out.startswith(f"-> {out}/ (")
    assert (out / "index.html").is_file()
    assert (out / "assets" / "site.css").is_file()


def test_cli_port_needs_serve(registry: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["site", "--registry", str(registry), "--port", "9"])
    assert code == 2
    assert "--port applies to --serve" in capsys.readouterr().err


@pytest.mark.timeout(60)
def test_serve_serves_on_loopback_and_rebuilds_on_change(registry: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    stop = threading.Event()
    urls: list[str] = []
    events: list[str] = []
    result: list[int] = []
    thread = threading.Thread(
        target=lambda: result.append(
            serve(
                registry,
                out,
                port=0,
                interval=0.05,
                stop=stop,
                on_ready=urls.append,
                on_event=events.append,
            )
        )
    )
    thread.start()
    try:
        for _ in range(400):
            if urls or not thread.is_alive():
                break
            time.sleep(0.05)
        assert urls
        assert urls[0].startswith("http://127.0.0.1:")
        with _open(urls[0] + "index.html", timeout=10) as response:
            assert b"orders.thing" in response.read()
        toml = registry / "orders" / "thing" / "contract.toml"
        _replace(toml, toml.read_text().replace('owner = "team-a"', 'owner = "team-zz"'), tmp_path)
        for _ in range(400):
            if events:
                break
            time.sleep(0.05)
        assert events == ["rebuilt"]
        with _open(urls[0] + "index.html", timeout=10) as response:
            assert b"team-zz" in response.read()
        # a broken registry keeps the previous site served
        _replace(toml, "owner = ", tmp_path)
        for _ in range(400):
            if len(events) > 1:
                break
            time.sleep(0.05)
        assert events[1].startswith("rebuild failed, still serving the previous site")
        with _open(urls[0] + "index.html", timeout=10) as response:
            assert b"team-zz" in response.read()
    finally:
        stop.set()
        thread.join(timeout=30)
    assert not thread.is_alive()
    assert result == [1]


def _replace(path: Path, text: str, spare: Path) -> None:
    """Write ``path`` whole in one rename from ``spare`` (outside the registry, where the
    watcher would see a stray file): ``write_text`` truncates first, and a poll of the
    watcher between the truncation and the write could see an empty contract.toml (a
    "rebuild failed" event before the "rebuilt" one, on a loaded machine)."""
    temp = spare / (path.name + ".tmp")
    temp.write_text(text)
    temp.replace(path)


def _python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )


def test_services_and_the_cli_parser_never_import_jinja2() -> None:
    done = _python(
        "import sys, accord, accord.service.startup, accord.registry.runtime, accord.cli\n"
        "accord.cli.build_parser()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'jinja2' "
        "or m.startswith('accord.site')))\n"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_without_jinja2_site_is_bad_input_naming_the_extra(registry: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    done = _python(
        "import sys; sys.modules['jinja2'] = None\n"
        "from accord.cli import main\n"
        f"sys.exit(main(['site', '--registry', {str(registry)!r}, '--out', {str(out)!r}]))\n"
    )
    assert done.returncode == 2, done.stderr
    assert "error[site-missing-extra]" in done.stderr
    assert "accord[site]" in done.stderr
    assert not out.exists()


def test_render_reports_progress_per_contract(registry: Path) -> None:
    add_contract(registry, "orders.other", {"1.0.0": V1})
    seen: list[tuple[int, int, str]] = []
    render_site(Registry.load(registry), progress=lambda *step: seen.append(step))
    assert seen == [(1, 2, "orders.other"), (2, 2, "orders.thing")]


def test_cli_draws_progress_on_stderr_only(
    registry: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("ACCORD_PROGRESS", "1")
    out = tmp_path / "site"
    assert main(["site", "--registry", str(registry), "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert "site" in captured.err
    assert captured.out == f"-> {out}/ ({sum(1 for _ in out.rglob('*.html'))} pages)\n"


def test_records_branch_feeds_the_matrix_without_writing_the_registry(tmp_path: Path) -> None:
    from _site_records import EXAMPLE_REGISTRY, commit_records, example_records

    registry = tmp_path / "registry"
    shutil.copytree(EXAMPLE_REGISTRY, registry)
    commit_records(registry, example_records(registry, tmp_path))
    before = {k: v for k, v in snapshot(registry).items() if not k.startswith(".git")}
    out = tmp_path / "site"
    argv = ["site", "--registry", str(registry), "--out", str(out)]
    assert main([*argv, "--records-branch", "accord-records", "--records-local"]) == 0
    page = (out / "deployments.html").read_text()
    assert 'id="env-production"' in page
    assert 'badge verified">verified' in page
    assert 'badge failed">failed' in page
    after = {k: v for k, v in snapshot(registry).items() if not k.startswith(".git")}
    assert after == before
    # without the branch, the registry's own (absent) records
    assert main(argv) == 0
    assert "No environment is recorded yet" in (out / "deployments.html").read_text()


def test_records_branch_that_does_not_exist_is_bad_input(
    registry: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import subprocess as sp

    sp.run(["git", "init", "-q", str(registry)], check=True)
    out = tmp_path / "site"
    argv = ["site", "--registry", str(registry), "--out", str(out)]
    assert main([*argv, "--records-branch", "nope", "--records-local"]) == 2
    assert "error[records-no-branch]" in capsys.readouterr().err
    assert not out.exists()
    assert main([*argv, "--records-local"]) == 2
    assert main([*argv, "--serve", "--records-branch", "x"]) == 2


@pytest.mark.timeout(90)
def test_cli_serve_stops_cleanly_on_ctrl_c(registry: Path, tmp_path: Path) -> None:
    import signal

    out = tmp_path / "site"
    argv = ["--registry", str(registry), "--out", str(out), "--serve", "--port", "0"]
    with subprocess.Popen(
        [sys.executable, "-m", "accord", "site", *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as proc:
        assert proc.stdout is not None
        assert proc.stderr is not None
        try:
            line = proc.stdout.readline()
            assert " served at http://127.0.0.1:" in line
            url = line.split(" served at ", 1)[1].split(" ", 1)[0]
            with _open(url + "index.html", timeout=10) as response:
                assert b"orders.thing" in response.read()
            proc.send_signal(signal.SIGINT)
            code = proc.wait(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=10)
        stderr = proc.stderr.read()
    assert code == 0, stderr
    assert "Traceback" not in stderr


def test_changelog_page_shows_schema_text_as_written(tmp_path: Path) -> None:
    # The changelog's Markdown escapes what it quotes from the schema; the page shows it
    # as written: no backslash, no tag, no emphasis made of a name.
    hostile = "coupon_code <img src=x onerror=alert(1)> **bold** [a](b) `tick` 1.5\\"
    root = tmp_path / "contracts"
    v1 = {**V1, "properties": {**V1["properties"], hostile: {"type": "string"}}}
    deprecated = {"type": "string", "deprecated": True}
    v11 = {**V1, "properties": {**V1["properties"], hostile: deprecated}}
    publish(root, "orders.thing", {"1.0.0": v1, "1.1.0": v11, "2.0.0": V1})
    toml = root / "orders" / "thing" / "contract.toml"
    toml.write_text('owner = "team-a"\nkind = "event"\n[yanked]\n"1.1.0" = "**not** <b>this</b>"\n')
    page = render_site(Registry.load(root))["changelog/orders.thing.html"].decode()
    body = page[page.index("<h2>") :]
    import html

    shown = html.unescape(re.sub(r"<[^>]+>", "", body))
    quoted = hostile.replace("\\", "\\\\")  # the message writes a backslash as two
    assert f"property '{quoted}' removed" in shown
    assert f"<code>/{html.escape(hostile, quote=False)}</code>" in body
    assert "(yanked: **not** <b>this</b>)" in shown
    assert "<img" not in body
    assert "<b>" not in body
    assert "<strong>bold</strong>" not in body
    assert "<strong>not</strong>" not in body
    assert "\\_" not in body
    assert "<code>property-removed</code>" in body


@pytest.mark.timeout(60)
@pytest.mark.parametrize("kind", ["fifo", "nested-fifo", "symlink"])
def test_records_branch_copy_refuses_a_special_file_in_the_registry(
    kind: str, tmp_path: Path
) -> None:
    # with_records_branch copied the registry (shutil.copytree) before loading it: a
    # FIFO in it (there since the caller's load, or swapped in after it) was a
    # shutil.Error, an internal error (exit 3), where the load says path-special-file.
    from _site_records import EXAMPLE_REGISTRY, commit_records, example_records

    from accord.errors import AccordError
    from accord.site import with_records_branch

    registry = tmp_path / "registry"
    shutil.copytree(EXAMPLE_REGISTRY, registry)
    commit_records(registry, example_records(registry, tmp_path))
    if kind == "symlink":
        (registry / "notes.md").symlink_to("/etc/hostname")
        name, code = "notes.md", "path-symlink"
    else:
        name = "pipe" if kind == "fifo" else "consumers/pipe"
        os.mkfifo(registry / name)
        code = "path-special-file"
    with (
        pytest.raises(AccordError) as caught,
        with_records_branch(registry, branch="accord-records", remote=None),
    ):
        pass
    assert (caught.value.code, caught.value.file) == (code, name)


def test_every_site_macro_is_used() -> None:
    # contract_link (and badge) were never called; contract_link built its href from the
    # raw contract id (no slug(), unlike every link the pages make): a trap for the next
    # template using it.
    import accord.site

    templates = Path(accord.site.__file__).parent / "templates"
    defined = set(re.findall(r"\{%-? macro (\w+)\(", (templates / "macros.html.j2").read_text()))
    used = {
        name
        for template in templates.glob("*.j2")
        for name in defined
        if re.search(rf"\b{name}\(", template.read_text().replace(f"macro {name}(", ""))
    }
    assert defined
    assert used == defined


def test_records_branch_copy_of_a_file_gone_since_listed_is_an_accord_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A file deleted (or unreadable) between copytree's listing and its copy: copytree
    # gathered the OSError into a shutil.Error, an internal error (exit 3).
    from _site_records import EXAMPLE_REGISTRY, commit_records, example_records

    import accord.site._build as build
    from accord.errors import AccordError
    from accord.site import with_records_branch

    registry = tmp_path / "registry"
    shutil.copytree(EXAMPLE_REGISTRY, registry)
    commit_records(registry, example_records(registry, tmp_path))

    def vanished(root: Path, src: str, dst: str) -> None:
        raise FileNotFoundError(2, "No such file or directory", src)

    monkeypatch.setattr(build, "_copy_regular", vanished)
    with (
        pytest.raises(AccordError) as caught,
        with_records_branch(registry, branch="accord-records", remote=None),
    ):
        pass
    assert caught.value.code == "file-unreadable"
    assert "No such file" in caught.value.message
