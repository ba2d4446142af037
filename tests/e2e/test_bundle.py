"""The frozen bundle starts: it prints its version and opens the demo shop offscreen and quits with 0.

Skipped unless ``SHOPDESK_BUNDLE`` names a built bundle folder (``dist/ShopDesk`` from installer/build.py).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from shopdesk import __version__

BUNDLE = os.environ.get("SHOPDESK_BUNDLE", "")

pytestmark = pytest.mark.skipif(not BUNDLE, reason="SHOPDESK_BUNDLE is not set (no built bundle to test)")


def _executable() -> Path:
    name = "ShopDesk.exe" if sys.platform == "win32" else "ShopDesk"
    path = Path(BUNDLE) / name
    assert path.is_file(), f"no {name} in {BUNDLE}"
    return path


def _environment(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_DATA_HOME=str(tmp_path / "data"))
    env["LOCALAPPDATA"] = str(tmp_path / "data")  # Windows: keep the demo shop out of the real profile
    return env


def test_the_bundle_prints_its_version(tmp_path: Path) -> None:
    result = subprocess.run(
        [str(_executable()), "--version"],
        capture_output=True, text=True, timeout=120, env=_environment(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    assert __version__ in result.stdout + result.stderr


def test_the_bundle_opens_the_demo_shop_offscreen_and_quits(tmp_path: Path) -> None:
    result = subprocess.run(
        [str(_executable()), "--demo", "--quit-after-show"],
        capture_output=True, text=True, timeout=600, env=_environment(tmp_path),
    )
    assert result.returncode == 0, result.stdout + result.stderr
