"""``shopdesk`` as the shopkeeper runs it: a separate process, its output and its exit code."""

from __future__ import annotations

import importlib.util
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from shopdesk.i18n import _, setup_i18n

Run = Callable[..., subprocess.CompletedProcess]


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A user data folder of the test's own, so neither the real shop nor the real demo is touched."""
    return tmp_path / "home"


@pytest.fixture
def run(home: Path) -> Run:
    """Run ``python -m shopdesk ARGS`` with a clean environment; returns the finished process."""
    env = {key: value for key, value in os.environ.items() if key != "SHOPDESK_DB"}
    env.update(
        XDG_DATA_HOME=str(home / "data"), HOME=str(home), PYTHONIOENCODING="utf-8",
        QT_QPA_PLATFORM="offscreen", LANG="en_US.UTF-8", LANGUAGE="", LC_ALL="",
    )

    def run_shopdesk(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "shopdesk", *args], capture_output=True, text=True, encoding="utf-8",
            env=env, timeout=timeout, check=False,
        )

    return run_shopdesk


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo shop built once through the command line for the search tests."""
    path = tmp_path_factory.mktemp("demo") / "shop.db"
    result = subprocess.run(
        [sys.executable, "-m", "shopdesk", "demo", "--db", str(path), "--members", "400", "--seed", "11"],
        capture_output=True, text=True, encoding="utf-8", timeout=120, check=False,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1 and "400 members" in lines[0] and "4,000 purchases" in lines[0], result.stdout
    assert "100%" in result.stderr  # progress goes to stderr, the summary alone to stdout
    return path


def _a_member(path: Path) -> tuple[str, str, str]:
    """(name, phone, initials) of a member who bought something and is not archived."""
    with sqlite3.connect(path) as connection:
        return connection.execute(
            "SELECT name, phone, name_initials FROM member WHERE archived_at IS NULL AND purchase_count > 2 "
            "ORDER BY id DESC LIMIT 1"
        ).fetchone()


def _one_error_line(result: subprocess.CompletedProcess) -> str:
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


def test_search_finds_a_member_by_the_last_four_digits_of_the_phone(run: Run, demo_file: Path) -> None:
    name, phone, _initials = _a_member(demo_file)
    result = run("search", phone[-4:], "--db", str(demo_file))
    assert result.returncode == 0, result.stderr
    masked = f"{phone[:3]}****{phone[-4:]}"
    assert any(line.startswith(name) and masked in line for line in result.stdout.splitlines()), result.stdout


def test_search_finds_a_member_by_pinyin_initials(run: Run, demo_file: Path) -> None:
    name, phone, initials = _a_member(demo_file)
    result = run("--db", str(demo_file), "search", initials, "--limit", "400", "--full-phone")
    assert result.returncode == 0, result.stderr
    assert any(line.startswith(name) and phone in line for line in result.stdout.splitlines()), result.stdout


def test_a_folder_as_database_prints_one_line_and_exits_1(run: Run, tmp_path: Path) -> None:
    result = run("search", "138", "--db", str(tmp_path))
    assert result.returncode == 1
    assert _one_error_line(result).startswith("Error: ")
    assert "folder" in result.stderr


def test_a_file_that_is_no_database_prints_one_line_and_exits_1(run: Run, tmp_path: Path) -> None:
    sheet = tmp_path / "members.xlsx"
    sheet.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 40)
    result = run("--db", str(sheet), "search", "138")
    assert result.returncode == 1
    assert _one_error_line(result).startswith("Error: ")


def test_unknown_options_exit_2(run: Run) -> None:
    result = run("search", "138", "--colour")
    assert result.returncode == 2
    assert "usage:" in result.stderr and "--colour" in result.stderr


def test_lang_zh_cn_before_or_after_the_command(run: Run, tmp_path: Path) -> None:
    setup_i18n("zh_CN")
    folder = _("{path} is a folder, not a shop file.").format(path=tmp_path)
    expected = _("Error: {message}").format(message=folder)
    setup_i18n("en")
    for args in (("--lang", "zh_CN", "search", "x", "--db", str(tmp_path)),
                 ("search", "x", "--db", str(tmp_path), "--lang", "zh_CN")):
        result = run(*args)
        assert result.returncode == 1
        assert _one_error_line(result).startswith(expected)
    result = run("--lang", "zh_CN", "demo", "--db", str(tmp_path / "zh.db"), "--members", "20")
    assert result.returncode == 0, result.stderr
    assert "悦己美妆生活馆" in result.stdout


def test_version(run: Run) -> None:
    from shopdesk import __version__

    result = run("--version")
    assert (result.returncode, result.stdout.strip()) == (0, f"ShopDesk {__version__}")


def test_the_console_script_is_installed() -> None:
    script = shutil.which("shopdesk", path=str(Path(sys.executable).parent))
    if script is None:
        pytest.skip("the package is not installed with its console script here")
    result = subprocess.run([script, "--version"], capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0 and result.stdout.startswith("ShopDesk ")


needs_gui = pytest.mark.skipif(
    importlib.util.find_spec("shopdesk.ui.application") is None, reason="the GUI package is not there yet"
)


@needs_gui
def test_demo_flag_builds_the_demo_shop_and_opens_the_window(run: Run, home: Path) -> None:
    result = run("--demo", "--quit-after-show", timeout=180)
    assert result.returncode == 0, result.stderr
    demo = home / "data" / "ShopDesk" / "demo.db"
    with sqlite3.connect(demo) as connection:
        assert connection.execute("SELECT COUNT(*) FROM member").fetchone()[0] == 2_000
    assert not (home / "data" / "ShopDesk" / "shop.db").exists()  # the real shop is left alone


@needs_gui
def test_the_app_opens_on_a_given_database(run: Run, demo_file: Path) -> None:
    result = run("--db", str(demo_file), "--quit-after-show", "--lang", "zh_CN", timeout=180)
    assert result.returncode == 0, result.stderr
