"""``accord site`` with hostile input: names and descriptions from the registry render
inert, and ``--out`` never replaces what ``accord site`` did not build (exit 2,
nothing written)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from _registry_builders import publish, snapshot
from accord.cli import main
from accord.registry.model import Registry
from accord.site import MARKER, render_site
from accord.site._tree import MAX_DEPTH, MAX_NODES, schema_tree

DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCRIPT = "<script>alert(1)</script>"
IMG = '<img src=x onerror="alert(2)">'


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    root = tmp_path / "contracts"
    schema = {
        "$schema": DIALECT,
        "type": "object",
        "title": SCRIPT,
        "description": IMG,
        "properties": {
            SCRIPT: {"type": "string", "description": SCRIPT, "examples": [SCRIPT]},
            "x": {"enum": [IMG], "default": IMG, "pattern": "</pre><script>"},
        },
    }
    publish(root, "orders.thing", {"1.0.0": schema})
    toml = root / "orders" / "thing" / "contract.toml"
    toml.write_text(
        'owner = "team-a"\nkind = "event"\n'
        f"description = {json.dumps(SCRIPT + IMG)}\ntags = [{json.dumps(SCRIPT)}]\n"
    )
    return root


def test_registry_text_renders_inert(hostile: Path) -> None:
    files = render_site(Registry.load(hostile))
    pages = {rel: data.decode() for rel, data in files.items() if rel.endswith(".html")}
    for rel, html in pages.items():
        assert "<script>alert" not in html, rel
        assert "<img src=x" not in html, rel
        assert "</pre><script>" not in html, rel
        # the only scripts are the site's own, by file
        assert html.count("<script") == 1, rel
    contract = pages["contracts/orders.thing.html"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in contract
    assert "&lt;img src=x onerror=" in contract
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages["index.html"]


def test_schema_tree_is_bounded() -> None:
    deep: dict[str, object] = {"type": "string"}
    for _ in range(MAX_DEPTH * 4):
        deep = {"type": "object", "properties": {"a": deep}}
    node, depth = schema_tree(deep), 0
    while node.children:
        node, depth = node.children[0], depth + 1
    assert depth == MAX_DEPTH
    assert node.note is not None

    wide = {
        "type": "object",
        "properties": {f"p{i}": {"type": "integer"} for i in range(MAX_NODES * 3)},
    }
    tree = schema_tree(wide)
    assert len(tree.children) <= MAX_NODES
    assert tree.children[-1].note is not None


def _nodes(node: object) -> int:
    return 1 + sum(_nodes(child) for child in node.children)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "keyword",
    ["allOf", "anyOf", "oneOf", "prefixItems", "$defs", "patternProperties", "required"],
)
def test_schema_tree_is_bounded_whatever_the_children_are(keyword: str) -> None:
    # Only properties were counted against the cap: past it, every parent on the walk's
    # path still made a node for each of its remaining children (up to max-items each),
    # so 19 levels of 1000-entry allOf (within the default caps) made 19,001 nodes.
    def wide(first: object) -> dict[str, object]:
        names = [f"k{i}" for i in range(999)]
        if keyword == "prefixItems":
            return {"prefixItems": [first, *([True] * 999)]}
        if keyword == "$defs":
            return {"$defs": {"first": first, **dict.fromkeys(names, True)}}
        if keyword == "patternProperties":
            return {"patternProperties": {"^first$": first, **{f"^{n}$": True for n in names}}}
        if keyword == "required":
            return {"properties": {"first": first}, "required": names}
        return {keyword: [first, *([True] * 999)]}

    schema: object = {"type": "integer"}
    for _ in range(19):
        schema = wide(schema)
    tree = schema_tree(schema)
    assert _nodes(tree) <= MAX_NODES + MAX_DEPTH + 1  # the cap, plus one "cut here" per level


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    root = tmp_path / "contracts"
    publish(root, "orders.thing", {"1.0.0": {"$schema": DIALECT, "type": "object"}})
    return root


def _site(registry: Path, out: Path | str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["site", "--registry", str(registry), "--out", str(out)])
    return code, capsys.readouterr().err


def test_out_that_is_a_file_is_refused(
    registry: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "afile"
    target.write_text("keep me")
    code, err = _site(registry, target, capsys)
    assert code == 2
    assert "error[site-out-not-directory]" in err
    assert target.read_text() == "keep me"


def test_non_site_directory_is_never_replaced(
    registry: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "docs"
    (target / "sub").mkdir(parents=True)
    (target / "sub" / "precious.txt").write_text("keep me")
    before = snapshot(tmp_path)
    code, err = _site(registry, target, capsys)
    assert code == 2
    assert "error[site-out-not-site]" in err
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize(
    "which", ["registry", "parent-of-registry", "cwd", "inside-registry", "root", "top-level"]
)
def test_hostile_out_paths_are_refused(
    registry: Path,
    tmp_path: Path,
    which: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    out = {
        "registry": registry,
        "parent-of-registry": tmp_path,
        "cwd": Path("."),
        "inside-registry": registry / "site",
        "root": Path("/"),
        "top-level": Path("/accord-site-test-top-level"),  # would be created without the rule
    }[which]
    before = snapshot(tmp_path)
    code, err = _site(registry, out, capsys)
    assert code == 2
    assert "error[site-out-hostile]" in err
    assert snapshot(tmp_path) == before
    assert not Path("/accord-site-test-top-level").exists()


def test_symlinked_out_is_refused(
    registry: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (real / "keep.txt").write_text("keep me")
    link = tmp_path / "link"
    os.symlink(real, link)
    code, err = _site(registry, link, capsys)
    assert code == 2
    assert "error[site-out-not-directory]" in err
    assert (real / "keep.txt").read_text() == "keep me"
    assert not (real / MARKER).exists()


def test_a_failed_build_keeps_the_previous_site(
    registry: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "site"
    assert _site(registry, out, capsys)[0] == 0
    before = snapshot(out)
    bad = registry / "consumers" / "billing" / "orders.json"
    bad.parent.mkdir(parents=True)
    bad.write_text('{"consumer": 1}')  # not an expectation: the build is refused
    code, err = _site(registry, out, capsys)
    assert code == 2
    assert "error[" in err
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["contracts", "site"]


def test_network_svg_escapes_names_and_links_by_slug() -> None:
    from accord.site._build import slug
    from accord.site._network import Edge, Network, render_svg

    evil = '"><script>alert(1)</script>'
    network = Network(
        services=(evil, "billing", "mid"),
        edges=(Edge(evil, "mid", ("a.b",)), Edge("mid", "billing", (evil,))),
    )
    svg = render_svg(
        network,
        service_href=lambda name: f"services/{slug(name)}.html",
        contract_href=lambda cid: f"contracts/{slug(cid)}.html",
    )
    assert "<script" not in svg
    assert "&lt;script&gt;" in svg
    assert svg.count('<a href="services/') == 3
    assert f'href="services/{slug(evil)}.html"' in svg
    assert slug(evil).startswith("x-")
    assert slug("../etc") != "../etc"
    assert slug("billing") == "billing"
    # deterministic: the same network draws the same bytes
    assert svg == render_svg(
        network,
        service_href=lambda name: f"services/{slug(name)}.html",
        contract_href=lambda cid: f"contracts/{slug(cid)}.html",
    )


def _reads(consumer: str, field: str) -> str:
    return json.dumps(
        {
            "format_version": 1,
            "consumer": {"name": consumer, "version": "1.0.0"},
            "reads": [
                {"contract": "orders.thing@^1", "fields": [{"path": field, "match": "like"}]}
            ],
        }
    )


def test_each_expectation_file_has_a_page_of_its_own(tmp_path: Path) -> None:
    # Pages were named by the path with "/" as "--": consumers/web/x--orders.json and
    # consumers/web--x/orders.json were one page, the second shown for the first (its
    # link on web's service page led to another consumer's fields), the first not at all.
    root = tmp_path / "contracts"
    publish(root, "orders.thing", {"1.0.0": {"$schema": DIALECT, "type": "object"}})
    (root / "consumers" / "web").mkdir(parents=True)
    (root / "consumers" / "web--x").mkdir()
    (root / "consumers" / "web" / "x--orders.json").write_text(_reads("web", "$.mine"))
    (root / "consumers" / "web--x" / "orders.json").write_text(_reads("other", "$.theirs"))
    files = render_site(Registry.load(root))
    pages = {rel: data.decode() for rel, data in files.items() if rel.startswith("expectations/")}
    assert len(pages) == 2
    (mine,) = (html for html in pages.values() if "consumers/web/x--orders.json" in html)
    assert "$.mine" in mine
    assert "$.theirs" not in mine
    web = files["services/web.html"].decode()
    (link,) = (rel for rel, html in pages.items() if html is mine)
    assert f'href="../{link}"' in web


def test_a_file_name_that_is_not_utf8_is_shown_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Python hands such a name over with surrogate escapes ("\udcff"), which no page can
    # encode: accord site was an internal error (exit 3) for an expectation file named
    # by bytes that are not UTF-8, a file lint and check accept.
    root = tmp_path / "contracts"
    publish(root, "orders.thing", {"1.0.0": {"$schema": DIALECT, "type": "object"}})
    (root / "consumers" / "web").mkdir(parents=True)
    (root / "consumers" / "web" / os.fsdecode(b"\xff\xfe.json")).write_text(_reads("web", "$.id"))
    assert main(["site", "--registry", str(root), "--out", str(tmp_path / "site")]) == 0, (
        capsys.readouterr().err
    )
    (page,) = (tmp_path / "site" / "expectations").iterdir()
    assert "consumers/web/\\udcff\\udcfe.json" in page.read_text(encoding="utf-8")


def _request(port: int, path: str, host: str) -> tuple[int, dict[str, str], bytes]:
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.putrequest("GET", path, skip_host=True)
        conn.putheader("Host", host)
        conn.endheaders()
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def _get(port: int, path: str, host: str) -> tuple[int, bytes]:
    status, _, body = _request(port, path, host)
    return status, body


@contextmanager
def _serving(registry: Path, out: Path) -> Iterator[int]:
    """``serve`` in a thread; the port it bound."""
    import threading
    import time

    from accord.site import serve

    stop = threading.Event()
    urls: list[str] = []
    thread = threading.Thread(
        target=serve,
        args=(registry, out),
        kwargs={"port": 0, "interval": 0.05, "stop": stop, "on_ready": urls.append},
    )
    thread.start()
    try:
        for _ in range(400):
            if urls or not thread.is_alive():
                break
            time.sleep(0.05)
        yield int(urls[0].rstrip("/").rpartition(":")[2])
    finally:
        stop.set()
        thread.join(timeout=20)


def test_serve_answers_only_requests_for_a_loopback_host(registry: Path, tmp_path: Path) -> None:
    # Binding 127.0.0.1 is not enough: a web page the developer visits can point its own
    # name at 127.0.0.1 (DNS rebinding) and read the catalogue (schemas, consumers,
    # deployments) as same-origin. A Host that is not a loopback name is refused.
    with _serving(registry, tmp_path / "site") as port:
        for host in (f"127.0.0.1:{port}", f"localhost:{port}", "127.0.0.1", f"[::1]:{port}"):
            status, body = _get(port, "/index.html", host)
            assert (status, b"orders.thing" in body) == (200, True), host
        for host in (f"attacker.example:{port}", "attacker.example", f"127.0.0.1.nip.io:{port}"):
            status, body = _get(port, "/index.html", host)
            assert status == 403, host
            assert b"orders.thing" not in body
        for path in ("/../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "//etc/passwd"):
            status, body = _get(port, path, f"127.0.0.1:{port}")
            assert status == 404, path


def test_serve_answers_a_nul_path_and_sends_its_headers_on_every_answer(
    registry: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A path holding %00 made the standard library's open() raise ValueError: a traceback
    # on the server's stderr and a connection closed with no answer. Error pages and
    # directory listings carried no CSP (only the built pages have the meta tag), and no
    # answer said nosniff.
    with _serving(registry, tmp_path / "site") as port:
        host = f"127.0.0.1:{port}"
        for path in ("/%00", "/index.html%00.css", "/assets/%00/x"):
            status, _, _ = _request(port, path, host)
            assert status == 404, path
        for path, want in (("/index.html", 200), ("/assets/", 200), ("/nothing", 404)):
            status, headers, _ = _request(port, path, host)
            assert status == want, path
            assert headers["X-Content-Type-Options"] == "nosniff", path
            assert headers["Content-Security-Policy"].startswith("default-src 'none'"), path
            assert "frame-ancestors 'none'" in headers["Content-Security-Policy"], path
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    "line",
    [
        "`" * 20_000,
        "x" + "`" * 20_000 + "y",
        " ".join("`" * n for n in range(1, 1000)),  # unclosed runs of every length
        "``a`",  # a run closes only on a run of its own length
    ],
)
def test_unclosed_backtick_runs_render_as_text_in_linear_time(line: str) -> None:
    # The inline pattern backtracked over every fence length and start: 2,000 backticks
    # took 16 s (cubic). A run no run of its length closes is text, as in CommonMark.
    from accord.site._build import _inline

    assert _inline(line) == line


def test_backtick_code_spans_still_render() -> None:
    from accord.site._build import _inline

    assert _inline("a `b` c") == "a <code>b</code> c"
    assert _inline("`` a`b `` and `c`") == "<code>a`b</code> and <code>c</code>"
    assert _inline("``` `` ```") == "<code>``</code>"
