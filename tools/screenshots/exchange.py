"""Screenshots of the import wizard's mapping step and the export dialog (not a test: run it by hand).

    QT_QPA_PLATFORM=offscreen python tools/screenshots/exchange.py [--lang zh_CN] [--keep /tmp/demo.db]

Builds a demo shop of 2,000 members in a temporary folder, writes a messy members sheet (a title row, a
column ShopDesk does not recognise, phones in several forms) and saves ``import_mapping.png`` (that sheet
at the mapping step, the unknown column mapped by hand), ``export.png`` and ``export_coupons.png`` (the
dialog on coupons, as the Coupons page opens it) into ``docs/screenshots``. It also exports the demo shop's
members to ``--xlsx`` and its coupons next to it, and renders both files with LibreOffice when it is there
(``export_xlsx.png``, ``export_coupons_xlsx.png``).
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import tempfile
from pathlib import Path

from _setup import screenshot_parser, screenshot_session, settle

NAMES = tuple(
    [
        "王丽",
        "李娜",
        "张敏",
        "刘静",
        "陈芳",
        "杨婷",
        "黄雪",
        "赵燕",
        "吴玲",
        "周霞",
        "徐慧",
        "孙倩",
        "马莉",
        "朱琳",
        "胡洁",
        "郭颖",
        "何晶",
        "林萍",
    ]
)
PHONE_FORMS = (
    lambda n: 13700000000 + n,  # a number, as Excel keeps it
    lambda n: f"137-{n:04d}-{n * 7 % 10000:04d}",
    lambda n: f"+86 137 {n:04d} {n * 7 % 10000:04d}",
    lambda n: f"137{n:04d}{n * 7 % 10000:04d}".translate(str.maketrans("0123456789", "０１２３４５６７８９")),
)


def messy_sheet(path: Path) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet["A1"] = "2024年 会员名单（旧收银系统导出）"
    sheet.merge_cells("A1:G1")
    sheet.append([])
    sheet.append(["会员手机", "姓名", "生日", "会员等级", "剩余点数", "标签", "备注"])
    tiers = ("普通会员", "银卡", "金卡", "")
    tags = ("老客户", "面膜控,敏感肌", "", "VIP")
    for n, name in enumerate(NAMES):
        phone = PHONE_FORMS[n % len(PHONE_FORMS)](n + 11)
        birthday: object = (
            dt.datetime(1985 + n, 1 + n % 12, 1 + n % 27) if n % 3 else f"{1 + n % 12}月{3 + n}日"
        )
        sheet.append([phone, name, birthday, tiers[n % 4], (n * 37) % 500 or "", tags[n % 4], ""])
    sheet.column_dimensions["A"].width = 20
    book.save(path)
    return path


def main() -> int:
    parser = screenshot_parser()
    parser.add_argument("--xlsx", default=str(Path(tempfile.gettempdir()) / "shopdesk-members-export.xlsx"))
    args = parser.parse_args()
    with screenshot_session(args) as session:
        from shopdesk.domain.coupons import CouponStatus
        from shopdesk.exchange.coupon_export import CouponFilter, export_coupons
        from shopdesk.exchange.member_export import export_members
        from shopdesk.ui.dialogs.export_dialog import ExportDialog
        from shopdesk.ui.dialogs.import_wizard import ImportWizard

        app, runner, out = session.app, session.runner, session.out
        sheet = messy_sheet(session.folder / "会员名单.xlsx")
        wizard = ImportWizard(None, runner, path=str(sheet))
        wizard.resize(1180, 780)
        wizard.show()
        wizard.next()
        points = wizard.combos[4]
        points.setCurrentIndex(points.findData("points"))
        settle(app)
        wizard.grab().save(str(out / "import_mapping.png"))
        wizard.close()

        dialog = ExportDialog(None, runner, current_ids=list(range(1, 313)))
        dialog.path_edit.setText(str(Path.home() / "Documents" / dialog.path_edit.text().rsplit("/", 1)[-1]))
        dialog.show()
        settle(app)
        dialog.grab().save(str(out / "export.png"))
        dialog.close()

        dialog = ExportDialog(None, runner, what="coupons", coupons=CouponFilter(status=CouponStatus.UNUSED))
        dialog.path_edit.setText(str(Path.home() / "Documents" / dialog.path_edit.text().rsplit("/", 1)[-1]))
        dialog.show()
        settle(app)
        dialog.grab().save(str(out / "export_coupons.png"))
        dialog.close()

        export_members(args.xlsx)
        coupons = Path(args.xlsx).with_name("shopdesk-coupons-export.xlsx")
        export_coupons(coupons)
        print(args.xlsx, coupons)
    render_with_libreoffice(Path(args.xlsx), out / "export_xlsx.png")
    render_with_libreoffice(coupons, out / "export_coupons_xlsx.png")
    return 0


def render_with_libreoffice(xlsx: Path, png: Path) -> None:
    """The exported file as LibreOffice shows it: headless soffice → PDF → the first page as PNG."""
    soffice, pdftoppm = shutil.which("soffice"), shutil.which("pdftoppm")
    if soffice is None or pdftoppm is None:
        print("soffice or pdftoppm missing: no export_xlsx.png (apt-get install libreoffice-calc-nogui)")
        return
    with tempfile.TemporaryDirectory() as folder:
        profile = Path(folder, "profile").as_uri()
        subprocess.run(
            [
                soffice,
                "--headless",
                f"-env:UserInstallation={profile}",
                "--convert-to",
                "pdf",
                "--outdir",
                folder,
                str(xlsx),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
        pdf = Path(folder) / (xlsx.stem + ".pdf")
        subprocess.run(
            [
                pdftoppm,
                "-png",
                "-r",
                "110",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                str(pdf),
                str(png.with_suffix("")),
            ],
            check=True,
            timeout=120,
        )


if __name__ == "__main__":
    raise SystemExit(main())
