"""Render an HTML file in headless Chromium: screenshot, serialised DOM and console lines."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

CHROMIUM = next(
    (c for c in ("chromium", "chromium-browser", "google-chrome") if shutil.which(c)), None
)


@dataclass
class Rendered:
    screenshot: Path
    dom: str
    console: list[str]


def need_chromium() -> str:
    """The browser binary, or skip the test saying how to get it."""
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (CI installs it: apt-get install chromium)")
    return CHROMIUM


def _chromium(args: list[str], tmp: Path) -> subprocess.CompletedProcess[str]:
    base = [
        need_chromium(),
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--hide-scrollbars",
        "--no-first-run",
        f"--user-data-dir={tmp / 'profile'}",
        "--enable-logging=stderr",
        "--v=0",
    ]
    return subprocess.run(base + args, capture_output=True, text=True, timeout=90, check=False)


def console_lines(stderr: str) -> list[str]:
    """Page console output (console.log/error, uncaught exceptions, CSP violations)."""
    return [line for line in stderr.splitlines() if ":CONSOLE" in line or "Uncaught" in line]


def render(page: Path, tmp: Path, width: int = 1280, height: int = 1600) -> Rendered:
    """Screenshot ``page`` at ``width`` x ``height`` and dump its DOM after scripts ran."""
    shot = tmp / "screenshot.png"
    url = page.resolve().as_uri()
    first = _chromium([f"--window-size={width},{height}", f"--screenshot={shot}", url], tmp)
    second = _chromium([f"--window-size={width},{height}", "--dump-dom", url], tmp)
    return Rendered(
        screenshot=shot,
        dom=second.stdout,
        console=console_lines(first.stderr) + console_lines(second.stderr),
    )
