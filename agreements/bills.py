"""How a council's bill is named wherever a resolution is shown or exported."""

from .models import CouncilResolution


def bill_reference(resolution: CouncilResolution) -> str:
    """The session and the bill number, as the council names them (its own words, so the
    same in every language): 「平成28年3月定例会 議案第31号」."""
    return f"{resolution.session} {resolution.bill_number}".strip()
