"""Build the one-folder bundle (PyInstaller) and, on Windows with Inno Setup, the installer.

Usage: ``python installer/build.py [--no-installer]``. Output: ``dist/ShopDesk/`` and, on Windows,
``dist/ShopDesk-Setup-<version>.exe``. The compiled catalogue (``.mo``) must be up to date first.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ISCC_CANDIDATES = (
    Path(os.environ.get("PROGRAMFILES(X86)", r"C:\Program Files (x86)")) / "Inno Setup 6" / "ISCC.exe",
    Path(os.environ.get("PROGRAMFILES", r"C:\Program Files")) / "Inno Setup 6" / "ISCC.exe",
)


def version() -> str:
    sys.path.insert(0, str(ROOT))
    from shopdesk import __version__

    return __version__


def build_bundle() -> Path:
    """Run PyInstaller on the spec; the bundle folder."""
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean",
         "--distpath", str(ROOT / "dist"), "--workpath", str(ROOT / "build" / "pyinstaller"),
         str(ROOT / "installer" / "shopdesk.spec")],
        check=True,
        cwd=ROOT,
    )
    return ROOT / "dist" / "ShopDesk"


def build_installer() -> Path | None:
    """Compile the Inno Setup script (Windows only, when ISCC is installed); the setup program."""
    iscc = shutil.which("iscc") or next((str(p) for p in ISCC_CANDIDATES if p.exists()), None)
    if iscc is None:
        print("Inno Setup (ISCC.exe) not found: the installer is skipped, the bundle is ready.")
        return None
    subprocess.run([iscc, f"/DAppVersion={version()}", str(ROOT / "installer" / "shopdesk.iss")], check=True)
    return ROOT / "dist" / f"ShopDesk-Setup-{version()}.exe"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-installer", action="store_true", help="build the bundle folder only")
    args = parser.parse_args()
    started = time.monotonic()
    bundle = build_bundle()
    print(f"Bundle: {bundle} ({time.monotonic() - started:.0f} s)")
    if not args.no_installer and sys.platform == "win32":
        setup = build_installer()
        if setup is not None:
            print(f"Installer: {setup}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
