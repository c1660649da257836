"""Text in a spreadsheet (CSV or xlsx) that the spreadsheet program must not run.

A cell typed in by someone that starts like a formula (=, +, -, @, a tab or a carriage return)
could run when the file is opened: "CSV injection" (OWASP). Every export writes such text with
an apostrophe in front, so the program shows it as text; an import takes the apostrophe off
again, so an exported file imports back unchanged.
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MARK = "'"


def text_cell(text: str) -> str:
    """The text as a cell: an apostrophe in front when it starts like a formula."""
    return MARK + text if text[:1] in FORMULA_STARTS else text


def typed_text(cell: str) -> str:
    """The text a cell written by `text_cell` holds: without the apostrophe it added."""
    return cell[1:] if cell[:1] == MARK and cell[1:2] in FORMULA_STARTS else cell
