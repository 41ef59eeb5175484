"""Debian's headless chromium, driven by selenium through Debian's chromedriver, with no network.

Selenium rather than raw CDP: chromedriver comes from the same Debian source package as
chromium, so the two always match; selenium is given both paths and so never runs its
driver-download manager; and chromedriver hands us the console and the network log
(goog:loggingPrefs) without our own websocket client.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
MISSING = f"{CHROMIUM} or {CHROMEDRIVER} is missing (apt-get install chromium chromium-driver; .ci/run does)"

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Nothing can leave the machine: every host is unresolvable and every proxy is a closed port.
    "--proxy-server=127.0.0.1:9",
    "--host-resolver-rules=MAP * ~NOTFOUND",  # one argv item: no shell quotes
    "--window-size=1400,900",
)


# The browser's own pages (its new-tab page logs a request at start-up): never the network.
_INTERNAL = ("chrome:", "chrome-untrusted:", "devtools:")


def available() -> bool:
    return CHROMIUM.exists() and CHROMEDRIVER.exists()


@dataclass
class Page:
    """A page open in the browser, with the console and network logs read so far."""

    driver: Any  # selenium WebDriver
    url: str = ""
    seen: list[str] = field(default_factory=list)

    def js(self, script: str, *args: Any) -> Any:
        return self.driver.execute_script(script, *args)

    def wait(self, script: str, timeout: float = 60.0) -> Any:
        """Poll a JS expression until it is truthy; its value."""
        from selenium.webdriver.support.ui import WebDriverWait

        return WebDriverWait(self.driver, timeout, poll_frequency=0.05).until(lambda d: d.execute_script(f"return {script}"))

    def console(self) -> list[dict]:
        return list(self.driver.get_log("browser"))

    def requests(self) -> list[str]:
        """Every URL requested since the current page was asked for (Network.requestWillBeSent).

        The browser's own start page (chrome://) may still be logging when we navigate,
        so the list starts at the request for our page, not at the navigation call.
        """
        for entry in self.driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message["method"] == "Network.requestWillBeSent":
                url = message["params"]["request"]["url"]
                if not url.startswith(_INTERNAL):
                    self.seen.append(url)
        starts = [i for i, url in enumerate(self.seen) if url == self.url]
        return self.seen[starts[-1]:] if starts else list(self.seen)

    def open(self, path: Path, timeout: float = 120.0) -> None:
        """Load a graph page from disk and wait until its layout has settled."""
        self.console()  # start each page with an empty console
        self.url = path.resolve().as_uri()
        self.driver.get(self.url)
        self.wait("window.kg && window.kg.settled", timeout)


# For pages served on this machine: 127.0.0.1 resolves (and the proxy is bypassed for loopback,
# chromium's default); every other host still fails.
LOOPBACK_ONLY = tuple("--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1" if f.startswith("--host-resolver")
                      else f for f in FLAGS)


@contextmanager
def browser(flags: tuple[str, ...] = FLAGS) -> Iterator[Page]:
    """A fresh headless chromium with its own profile directory, closed afterwards."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="kg-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (*flags, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        yield Page(driver)
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
