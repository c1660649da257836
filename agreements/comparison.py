"""An amendment's 新旧対照表 as an Excel workbook, the way city offices hand it round: a
heading, then 改正後 and 改正前 side by side, the changed words underlined in the cells."""

import io

from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.styles import Alignment, Font

from .texts import ComparisonRow, Segment

NEW_HEADING = "改正後"
OLD_HEADING = "改正前"
NOTE = "（傍線部分は改正部分）"
ADDED = "（新設）"
REMOVED = "（削除）"


def _rich(parts: tuple[Segment, ...] | None, absent: str) -> CellRichText | str:
    if parts is None:
        return absent
    underlined, plain = InlineFont(u="single"), InlineFont()
    return CellRichText(
        [TextBlock(underlined if part.changed else plain, part.text) for part in parts]
    )


def comparison_workbook(agreement, amendment, rows: list[ComparisonRow]) -> bytes:
    """The workbook, headed by the agreement's public_title (views._amendment)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "新旧対照表"
    sheet.append([f"{agreement.public_title} 新旧対照表"])
    sheet["A1"].font = Font(bold=True, size=12)
    sheet.append([amendment.summary])
    sheet.append([NOTE])
    sheet.append(["", NEW_HEADING, OLD_HEADING])
    for cell in sheet[4]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    for row in rows:
        sheet.append([row.label, _rich(row.new, REMOVED), _rich(row.old, ADDED)])
    wrap = Alignment(wrap_text=True, vertical="top")
    for line in sheet.iter_rows(min_row=5):
        for cell in line:
            cell.alignment = wrap
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 60
    sheet.column_dimensions["C"].width = 60
    sheet.print_title_rows = "4:4"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
