"""Tests that need a program from the system (chromium, Virtuoso) skip without it, saying why.

`make test` runs as any user on any machine, so a missing tool is a skip with the command that
installs it. CI installs the tools and sets KG_REQUIRE_SYSTEM_TOOLS=1, under which the same
skip is a failure: CI can never pass without having run these tests for real.
"""

from __future__ import annotations

import os

import pytest

REQUIRED = "KG_REQUIRE_SYSTEM_TOOLS"


def require(present: bool, reason: str) -> None:
    """Skip the calling test (fail it under KG_REQUIRE_SYSTEM_TOOLS=1) unless `present`."""
    if present:
        return
    if os.environ.get(REQUIRED, "") not in ("", "0"):
        pytest.fail(f"{reason} ({REQUIRED} is set, so this is a failure, not a skip)")
    pytest.skip(reason)
