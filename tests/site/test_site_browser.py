"""The built site in a real browser: headless Chromium (Debian's ``chromium``) driven by
Playwright, pages opened from ``file://``.

Playwright rather than Selenium: its wheel carries its own driver (no chromium-driver
package whose version must match the browser), it launches any Chromium through
``executable_path`` (so nothing is downloaded: never ``playwright install``), and it
intercepts every request and console message natively, which is what "no request
leaves file://" and "no console error" need. axe-core runs inside the page from the
``axe-playwright-python`` wheel, which bundles ``axe.min.js`` (offline).

Where the browser is missing: ``make test`` and ``.ci/run`` install it (``apt-get
install chromium`` when ``/usr/bin/chromium`` is absent and apt-get exists). With
``CI`` or ``ACCORD_BROWSER_TESTS=1`` set, a missing browser FAILS these tests; on a
developer machine without either, they are skipped with the reason (see
docs/site.md). One browser launch for the module; screenshots go to
``.site-screenshots/`` (ignored by git) for people to look at.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("ACCORD_CHROMIUM", "/usr/bin/chromium"))
SCREENSHOTS = REPO_ROOT / ".site-screenshots"
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = pytest.mark.timeout(120)


def _browser_required() -> bool:
    return bool(os.environ.get("CI")) or os.environ.get("ACCORD_BROWSER_TESTS") == "1"


@pytest.fixture(scope="module")
def site(registry_with_records: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from accord.registry.model import Registry
    from accord.site import build_site

    out = tmp_path_factory.mktemp("built") / "site"
    build_site(Registry.load(registry_with_records), out)
    return out


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.is_file():
        message = (
            f"{CHROMIUM} is missing: `make test` and .ci/run install Debian's chromium "
            "where apt-get exists (apt-get install -y chromium)"
        )
        if _browser_required():
            pytest.fail(message + " (CI or ACCORD_BROWSER_TESTS=1: the browser is required)")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            yield launched
        finally:
            launched.close()


class Watched:
    """A page whose console errors and non-file requests are collected."""

    def __init__(self, page: Any, site: Path) -> None:
        self.page = page
        self.site = site
        self.errors: list[str] = []
        self.leaks: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))
        page.on("dialog", lambda d: (self.errors.append(f"dialog: {d.message}"), d.dismiss()))
        page.route("**/*", self._route)

    def _console(self, msg: Any) -> None:
        if msg.type in ("error", "warning"):
            self.errors.append(f"console {msg.type}: {msg.text}")

    def _route(self, route: Any) -> None:
        url = route.request.url
        if url.startswith("file://"):
            route.continue_()
        else:
            self.leaks.append(url)
            route.abort()

    def open(self, rel: str) -> Any:
        self.page.goto((self.site / rel).as_uri())
        self.page.wait_for_load_state("load")
        return self.page

    def shot(self, name: str) -> None:
        SCREENSHOTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)


@pytest.fixture
def watched(browser: Any, site: Path) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    w = Watched(page, site)
    try:
        yield w
        assert w.errors == []
        assert w.leaks == []
        assert page.evaluate("window.__pwned") is None
    finally:
        context.close()


def _axe(page: Any) -> list[tuple[str, str, int]]:
    from axe_playwright_python.sync_playwright import Axe

    # preload off: axe would otherwise re-fetch the stylesheet with XMLHttpRequest, which
    # file:// pages may not do (a console error of axe's own, not of the site)
    results = Axe().run(page, options={"preload": False, "resultTypes": ["violations"]})
    return [
        (v["id"], v["impact"], len(v["nodes"]))
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_index_lists_and_filters_contracts(watched: Watched) -> None:
    page = watched.open("index.html")
    assert page.title() == "Contracts · accord registry"
    rows = page.locator("#contracts tbody tr")
    assert rows.count() == 7
    assert page.locator("#count").inner_text() == "7 of 7 contracts"
    watched.shot("index")
    page.fill("#q", "payment")
    assert page.locator("#contracts tbody tr:visible").count() == 1
    assert page.locator("#count").inner_text() == "1 of 7 contracts"
    assert page.locator("#contracts tbody tr:visible th a").inner_text() == (
        "payments.payment-captured"
    )
    page.fill("#q", "identity-team")  # owner
    assert page.locator("#contracts tbody tr:visible").count() == 2
    page.fill("#q", "")
    page.select_option("#kind", "response")
    assert page.locator("#count").inner_text() == "3 of 7 contracts"
    # the hostile description is text, not markup
    assert "<script>window.__pwned" in page.locator("#contracts").inner_text()
    assert page.locator("#contracts script, #contracts img").count() == 0


def test_keyboard_reaches_the_content(watched: Watched) -> None:
    page = watched.open("index.html")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    page.keyboard.press("Tab")
    tag = page.evaluate("document.activeElement.tagName")
    assert tag in ("INPUT", "A")


def test_contract_page_shows_versions_schema_and_diff_with_witness(watched: Watched) -> None:
    page = watched.open("contracts/orders.order-placed.html")
    assert page.locator("h1").inner_text().startswith("orders.order-placed")
    versions = page.locator("section[aria-labelledby=versions] tbody tr")
    assert versions.count() == 4
    diff = page.locator("#diff-2\\.0\\.0")
    assert "requires a major bump" in diff.inner_text()
    change = diff.locator("article.change").first
    rule_link = change.locator("h4 a")
    assert rule_link.get_attribute("href").startswith("../rules/")
    witness = diff.locator(".witness").first
    assert "accepted by" in witness.inner_text()
    assert witness.locator("pre").inner_text().strip().startswith("{")
    # who it affects: billing reads orders.order-placed@^1, so 2.0.0 is never served to it
    impact = diff.locator("ul.impact li").first.inner_text()
    assert impact.startswith("billing: does-not-read")
    watched.shot("contract-diff")
    # the raw JSON is one click away
    raw = page.locator("#v2\\.0\\.0 details")
    assert not raw.locator("pre").is_visible()
    raw.locator("summary").click()
    assert '"$schema"' in raw.locator("pre").inner_text()
    # the schema tree names required properties
    assert page.locator("#v2\\.0\\.0 .tree .required").count() > 0
    # consumers and the fields they read, linked to their expectation
    consumers = page.locator("section[aria-labelledby=consumers] tbody tr")
    assert consumers.count() > 0
    link = consumers.first.locator("td a").last
    link.click()
    assert page.url.endswith("expectations/billing--orders.html")
    # a change links to its rule page
    page.go_back()
    rule_link = page.locator("#diff-2\\.0\\.0 article.change h4 a").first
    rule_id = rule_link.inner_text()
    rule_link.click()
    assert page.locator("h1").inner_text() == rule_id


def test_network_diagram_nodes_and_links(watched: Watched) -> None:
    page = watched.open("network.html")
    svg = page.locator("svg.network")
    names = sorted(svg.locator("a.node text").all_text_contents())
    assert names == [
        "billing",
        "catalog-service",
        "orders-service",
        "payments-service",
        "users-service",
    ]
    edges = svg.locator("a.edge")
    assert edges.count() == 2
    titles = sorted(edges.locator("title").all_text_contents())
    assert titles == [
        "billing reads orders.order-placed from orders-service",
        "billing reads users.user from users-service",
    ]
    watched.shot("network")
    svg.locator("a.node", has_text="billing").click()
    assert page.url.endswith("services/billing.html")
    assert "production" in page.locator("section[aria-labelledby=where]").inner_text()


def test_deployments_matrix(watched: Watched) -> None:
    page = watched.open("deployments.html")
    production = page.locator("#env-production table.matrix tbody tr")
    rows = {
        tuple(cells[:5]) for cells in (r.locator("td").all_inner_texts() for r in production.all())
    }
    assert rows == {
        ("billing", "1.4.0", "users-service", "2.0.0", "verified"),
        ("billing", "1.4.0", "orders-service", "1.0.0", "failed"),
    }
    staging = page.locator("#env-staging table.matrix tbody tr").all_inner_texts()
    assert len(staging) == 1
    assert "missing" in staging[0]
    assert "2026-11-30T10:00:00Z" in page.locator("#env-production").inner_text()
    watched.shot("deployments")


@pytest.mark.parametrize(
    "rel",
    [
        "index.html",
        "contracts/users.user.html",
        "network.html",
        "deployments.html",
    ],
)
def test_no_serious_accessibility_violations(watched: Watched, rel: str) -> None:
    page = watched.open(rel)
    assert _axe(page) == []


def test_dark_scheme_renders(watched: Watched) -> None:
    page = watched.open("index.html")
    page.emulate_media(color_scheme="dark")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(13, 17, 23)"
    assert _axe(page) == []
    watched.shot("index-dark")
