"""Retake the screenshots in docs/ from a fresh seed build, in headless chromium at 1366 x 768.

    .venv/bin/python -m benchmarks.screenshots [--out docs]

Writes graph.png (graph.html as it opens: the overview), article.png (永泰街道 double-clicked
open and one of its articles selected: the text in the details panel) and view.png
(`kg view 永泰街道 --depth 1`). Needs chromium, chromedriver and a CJK font (Debian:
chromium chromium-driver fonts-wqy-microhei), or the labels are boxes.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.build import build  # noqa: E402
from kg.show import write_view  # noqa: E402
from tests import chromium  # noqa: E402

SCREEN = {"width": 1366, "height": 768, "deviceScaleFactor": 1, "mobile": False}
CENTRE = "Subdistrict/永泰街道"


def shoot(page: chromium.Page, build_dir: Path, out: Path) -> list[Path]:
    """The three pictures of a build (its graph.html and a 永泰街道 view) in `out`."""
    out.mkdir(parents=True, exist_ok=True)
    page.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", SCREEN)
    shots = []
    page.open(build_dir / "graph.html")
    shots.append(out / "graph.png")
    page.driver.save_screenshot(str(shots[-1]))
    page.js("kg.expand(arguments[0])", CENTRE)
    page.wait("kg.settled", 120)
    article = page.js("return kg.nodes.getIds().filter(id => id.startsWith('article/')).sort()[0]")
    page.js("kg.network.selectNodes([arguments[0]]); kg.network.body.emitter.emit('selectNode', {nodes: [arguments[0]]});",
            article)
    shots.append(out / "article.png")
    page.driver.save_screenshot(str(shots[-1]))
    view_page, _, _ = write_view(build_dir, build_dir / "view.html", "永泰街道", depth=1)
    page.open(view_page)
    shots.append(out / "view.png")
    page.driver.save_screenshot(str(shots[-1]))
    page.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    return shots


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "docs", help="where the PNGs go (default docs/)")
    args = parser.parse_args()
    if not chromium.available():
        sys.exit(chromium.MISSING)
    with tempfile.TemporaryDirectory() as tmp, chromium.browser() as page:
        build([ROOT / "seeds"], Path(tmp))
        for path in shoot(page, Path(tmp), args.out):
            print(f"wrote {path}")


if __name__ == "__main__":
    main()
