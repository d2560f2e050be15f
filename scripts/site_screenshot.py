"""Write docs/img/site.png: the contract index of the example registry's site.

    python scripts/site_screenshot.py

Builds the site of ``contracts/`` into a temporary directory and screenshots its index
in headless Chromium (Debian's ``/usr/bin/chromium``, or ``ACCORD_CHROMIUM``) through
Playwright, the same way the browser tests do; nothing is downloaded.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from accord.registry.model import Registry  # noqa: E402 - after the path set-up
from accord.site import build_site  # noqa: E402

OUT = ROOT / "docs" / "img" / "site.png"


def main() -> int:
    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("ACCORD_CHROMIUM", "/usr/bin/chromium")
    with tempfile.TemporaryDirectory() as tmp:
        site = build_site(Registry.load(ROOT / "contracts"), Path(tmp) / "site").out
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=chromium,
                args=["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
            )
            page = browser.new_page(viewport={"width": 960, "height": 540})
            page.goto((site / "index.html").as_uri())
            OUT.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(OUT))
            browser.close()
    print(f"-> {OUT.relative_to(ROOT)} ({OUT.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
