"""The command line in-process: options before or after the command, dispatch, exit codes, messages."""

from __future__ import annotations

import io
import sys
import types
from pathlib import Path

import pytest

from shopdesk import __version__, app, cli
from shopdesk.i18n import _, current_language, setup_i18n


@pytest.fixture(autouse=True)
def no_environment_database(monkeypatch: pytest.MonkeyPatch) -> None:
    """A developer's SHOPDESK_DB must not decide what these tests open."""
    monkeypatch.delenv("SHOPDESK_DB", raising=False)


@pytest.fixture
def gui_calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple]:
    """Replace the window with a recorder: each call's (target, language, quit_after_show)."""
    calls: list[tuple] = []

    def fake_run_gui(target: str, language: str, quit_after_show: bool = False) -> int:
        calls.append((target, language, quit_after_show))
        return 0

    monkeypatch.setattr(app, "run_gui", fake_run_gui)
    return calls


@pytest.fixture
def small_demo(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """The demo shop's file in a temporary folder, built with few members so tests stay quick."""
    path = tmp_path / "data" / "demo.db"
    monkeypatch.setattr(app, "demo_database_path", lambda: path)
    monkeypatch.setattr(app, "DEMO_MEMBERS", 40)
    return path


@pytest.mark.parametrize(
    "argv",
    [
        ["--db", "a.db", "--lang", "zh_CN", "search", "张"],
        ["search", "张", "--db", "a.db", "--lang", "zh_CN"],
        ["--lang", "zh_CN", "search", "--db", "a.db", "张"],
        ["--db=a.db", "search", "张", "--lang=zh-CN"],
    ],
)
def test_global_options_before_or_after_the_command(argv: list[str]) -> None:
    args = cli.build_parser().parse_args(argv)
    assert (args.db, args.lang, args.text, args.handler) == ("a.db", "zh_CN", "张", cli._search)


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--db", "a.db"],
        ["--db=a.db", "--lang=zh-CN", "--quit-after-show"],
        ["--lang", "en", "--demo"],
        ["--db", "a.db", "--db", "b.db"],
    ],
)
def test_opening_the_window_parses_alike_without_the_commands(argv: list[str]) -> None:
    """Just opening the window skips setting up the commands; what it reads must not change."""
    assert cli._only_opens_the_window(argv)
    whole = vars(cli.build_parser().parse_args(argv))
    window_only = vars(cli.build_parser(commands=False).parse_args(argv))
    whole.pop("command_parser"), window_only.pop("command_parser")
    assert window_only == whole and whole["handler"] is cli._run_gui


@pytest.mark.parametrize(
    "argv",
    [
        ["search", "x"],
        ["--help"],
        ["--version"],
        ["--quit"],  # an abbreviation: only the whole parser knows what it stands for
        ["--lang", "fr"],
        ["--db"],
        ["--db", "--demo"],
        ["--demo", "--db", "a.db"],
        ["--quit-after-show=yes"],
    ],
)
def test_anything_else_gets_the_whole_parser(argv: list[str]) -> None:
    assert not cli._only_opens_the_window(argv)


def test_an_option_after_the_command_wins_over_one_before() -> None:
    args = cli.build_parser().parse_args(["--db", "before.db", "search", "x", "--db", "after.db"])
    assert args.db == "after.db"


def test_without_global_options_nothing_is_set() -> None:
    args = cli.build_parser().parse_args(["search", "x"])
    assert not hasattr(args, "db") and not hasattr(args, "lang")


@pytest.mark.parametrize(
    "argv",
    [["--bogus"], ["search"], ["search", "x", "--limit", "0"], ["--lang", "fr"], ["demo", "--members", "-3"],
     ["demo", "--members", "5"], ["demo", "--db", "x.db", "--shop-type", "pharmacy"], ["nosuchcommand"]],
)
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(argv) == 2
    assert "usage:" in capsys.readouterr().err


def test_argparse_speaks_the_users_language(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--lang", "zh_CN", "search", "--help"]) == 0
    help_text = capsys.readouterr().out
    assert help_text.startswith("用法：shopdesk search") and "显示此帮助信息并退出" in help_text
    assert cli.main(["--lang", "zh_CN", "import", "bogus", "x.xlsx"]) == 2
    assert "错误：参数 members|purchases：无效的选择：'bogus'" in capsys.readouterr().err


def test_version_and_help_exit_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"ShopDesk {__version__}"
    assert cli.main(["search", "--help"]) == 0
    assert "--limit" in capsys.readouterr().out


def test_no_command_opens_the_app_on_the_chosen_database(gui_calls: list[tuple], monkeypatch) -> None:
    assert cli.main(["--db", "shop.db", "--lang", "en"]) == 0
    monkeypatch.setenv("SHOPDESK_DB", "from-env.db")
    assert cli.main(["--lang", "zh_CN", "--quit-after-show"]) == 0
    assert cli.main(["--db", "explicit.db"]) == 0
    assert gui_calls[0] == ("shop.db", "en", False)
    assert gui_calls[1] == ("from-env.db", "zh_CN", True)
    assert gui_calls[2][0] == "explicit.db"


def test_no_command_and_no_option_opens_the_default_shop(gui_calls: list, monkeypatch, tmp_path) -> None:
    monkeypatch.setattr("shopdesk.db.database.data_dir", lambda: tmp_path / "data")
    assert cli.main([]) == 0
    assert gui_calls == [(str(tmp_path / "data" / "shop.db"), current_language(), False)]


def test_demo_flag_builds_the_demo_shop_once_then_opens_it(
    gui_calls: list[tuple], small_demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["--demo", "--lang", "en"]) == 0
    assert gui_calls == [(str(small_demo), "en", False)]
    assert "100%" in capsys.readouterr().err  # progress while it is built
    built = small_demo.stat().st_mtime_ns
    assert cli.main(["--demo"]) == 0
    assert small_demo.stat().st_mtime_ns == built
    assert capsys.readouterr().err == ""


def test_demo_flag_and_db_do_not_mix(gui_calls: list[tuple]) -> None:
    assert cli.main(["--demo", "--db", "x.db"]) == 2
    assert gui_calls == []


def test_demo_command_builds_a_shop_and_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "demo.db"
    assert cli.main(["demo", "--db", str(target), "--members", "30", "--purchases", "90", "--seed", "5"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1
    assert "30 members" in out[0] and "90 purchases" in out[0] and str(target) in out[0]
    assert cli.main(["demo", "--db", str(target), "--members", "30"]) == 1  # not empty any more
    assert "already holds a shop" in capsys.readouterr().err


def test_search_prints_the_members_found(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from shopdesk.db.database import close_database, open_database

    target = str(tmp_path / "shop.db")
    assert cli.main(["demo", "--db", target, "--members", "60"]) == 0
    db = open_database(target)
    name, phone, initials = db.execute_sql(
        "SELECT name, phone, name_initials FROM member WHERE purchase_count > 0 ORDER BY id LIMIT 1"
    ).fetchone()
    close_database()
    capsys.readouterr()

    assert cli.main(["search", phone[-4:], "--db", target]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["Name", "Phone", "Last", "purchase", "Purchases", "Total", "spent"]
    assert any(line.startswith(name) and f"{phone[:3]}****{phone[-4:]}" in line for line in lines[1:])

    assert cli.main(["search", initials, "--db", target, "--limit", "100", "--full-phone"]) == 0
    assert any(name in line and phone in line for line in capsys.readouterr().out.splitlines())

    assert cli.main(["search", "没有这个人", "--db", target]) == 0
    assert "No member matches" in capsys.readouterr().out


def test_search_says_how_many_more_there_are(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from shopdesk.db.database import close_database, open_database

    target = str(tmp_path / "shop.db")
    assert cli.main(["demo", "--db", target, "--members", "60"]) == 0
    db = open_database(target)
    live = db.execute_sql("SELECT COUNT(*) FROM member WHERE archived_at IS NULL").fetchone()[0]
    close_database()
    capsys.readouterr()
    assert cli.main(["search", "1", "--db", target, "--limit", "3"]) == 0  # every phone has a 1
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1 + 3 + 1
    assert lines[-1] == f"… and {live - 3} more members; use --limit to see more."


def _one_error_line(capsys: pytest.CaptureFixture[str]) -> str:
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert "Traceback" not in captured.err
    return lines[0]


def test_a_folder_as_database_is_one_line_and_exit_1(tmp_path: Path, capsys) -> None:
    assert cli.main(["search", "x", "--db", str(tmp_path)]) == 1
    expected = f"Error: {tmp_path} is a folder, not a shop file. Choose a file such as shop.db."
    assert _one_error_line(capsys) == expected


def test_a_file_that_is_not_a_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    not_a_shop = tmp_path / "notes.txt"
    not_a_shop.write_text("a shopping list, not a shop\n" * 200)
    assert cli.main(["--db", str(not_a_shop), "search", "x"]) == 1
    assert _one_error_line(capsys).startswith("Error: ")
    assert not_a_shop.read_text().startswith("a shopping list")


def test_search_never_creates_a_missing_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "typo.db"
    assert cli.main(["search", "x", "--db", str(missing)]) == 1
    assert "There is no shop at" in _one_error_line(capsys)
    assert not missing.exists()


def test_errors_are_in_the_language_asked_for(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    setup_i18n("zh_CN")
    expected = _("Error: {message}").format(
        message=_("{path} is a folder, not a shop file.").format(path=tmp_path)
    )
    setup_i18n("en")
    assert cli.main(["search", "x", "--db", str(tmp_path), "--lang", "zh_CN"]) == 1
    assert _one_error_line(capsys).startswith(expected)
    assert current_language() == "zh_CN"


def test_lang_is_read_before_the_parser_is_built() -> None:
    assert cli._language_asked(["search", "x", "--lang", "zh-CN"]) == "zh_CN"
    assert cli._language_asked(["--lang=en", "search", "x"]) == "en"
    assert cli._language_asked(["--lang", "klingon"]) is None
    assert cli._language_asked(["search", "--", "--lang", "zh_CN"]) is None


def test_bench_gets_its_options(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[object] = []
    fake = types.ModuleType("shopdesk.bench")
    fake.main = lambda args: seen.append(args) or 0  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "shopdesk.bench", fake)
    only = "search_name,startup"
    assert cli.main(["bench", "--members", "2000", "--only", only, "--json", "out.json", "--seed", "9"]) == 0
    args = seen[0]
    assert (args.members, args.purchases, args.only, args.json, args.seed) == (
        2000, None, "search_name,startup", "out.json", 9,
    )
    assert cli.main(["bench"]) == 0
    assert (seen[1].members, seen[1].only, seen[1].json) == (100_000, None, None)


def test_a_missing_bench_is_reported(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setitem(sys.modules, "shopdesk.bench", None)
    assert cli.main(["bench"]) == 1
    assert _one_error_line(capsys).startswith("Error: The benchmark is not available")


def test_interrupting_exits_130(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def interrupted(*args: object, **kwargs: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(app, "run_gui", interrupted)
    assert cli.main(["--db", "x.db"]) == 130
    assert _one_error_line(capsys) == "Cancelled."


def test_console_progress_prints_a_line_per_tenth_when_redirected() -> None:
    stream = io.StringIO()
    progress = cli.ConsoleProgress(stream)
    for done in range(0, 1001, 5):
        progress.step(done, 1000, "Working…")
    progress.step(1000, 1000, "Finishing…")
    lines = stream.getvalue().splitlines()
    assert lines == [f"Working… {tenth}%" for tenth in range(0, 101, 10)] + ["Finishing… 100%"]
    assert not progress.cancelled()


def test_cjk_columns_line_up() -> None:
    out = io.StringIO()
    cli._print_table([["Name", "N"], ["欧阳娜娜", "1"], ["Li", "22"]], right_aligned={1}, out=out)
    lines = out.getvalue().splitlines()
    assert [cli._width(line) for line in lines] == [cli._width(lines[0])] * 3


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_console_progress_updates_one_line_per_stage_on_a_terminal() -> None:
    stream = _Terminal()
    with cli.ConsoleProgress(stream) as progress:
        for done in (0, 1, 2, 2, 3):
            progress.step(done, 4, "Building…")
        progress.step(4, 4, "Finishing…")
    assert stream.getvalue() == (
        "\rBuilding… 0%    \rBuilding… 25%    \rBuilding… 50%    \rBuilding… 75%    "
        "\n\rFinishing… 100%    \n"
    )
