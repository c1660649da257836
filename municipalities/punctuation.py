"""Punctuation that follows the active language: Japanese text takes full-width marks with no
space around them, English the ASCII ones followed by a space. Templates use the tags of
municipalities/templatetags/punctuation.py; code that writes text (a picture's description,
a feed entry) calls these."""

from django.utils.translation import get_language


def in_japanese() -> bool:
    return (get_language() or "ja").startswith("ja")


def colon() -> str:
    """Between a label and its value: 「主担当：長野市」, "Lead: Nagano City"."""
    return "：" if in_japanese() else ": "


def comma() -> str:
    """Between the parts of one phrase: 「第1版、2016年…」, "version 1, Mar. 29, 2016"."""
    return "、" if in_japanese() else ", "


def separator() -> str:
    """Between the entries of a list of labelled values: 「須坂市：効力あり、千曲市：…」,
    "Suzaka City: In force; Chikuma City: …"."""
    return "、" if in_japanese() else "; "


def parenthesised(text: str) -> str:
    """A remark after what it qualifies: 「取組（2）」, "Projects (2)"."""
    return f"（{text}）" if in_japanese() else f" ({text})"
