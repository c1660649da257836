"""An agreement's text as the real ones are written, and the 新旧対照表 of two versions.

A real 連携協約 is plain Japanese legal text: a preamble naming the central city 甲 and the
partner 乙, then articles, each a heading line in brackets followed by 「第N条　…」 and its
paragraphs 「２　…」, and maybe 附則 or free annexes at the end. People paste it from the
document the councils passed, so it is kept as typed and read into this structure; the role
items, kept as records, print as the annexed tables (別表) that 第3条 refers to.

An agreement's content, the thing the councils pass and an amendment changes, is a plain
dictionary (`content_of` builds it from the records; procedures keep it frozen as JSON):
``{"title", "basic_policy", "text", "items": [{"id", "role", "field", "title",
"central_city_part", "partner_part", "order", "title_en"}]}``. An item's English title is a
translation for the English pages, not what the councils pass: it is kept with the content
when there is one (contents frozen before it existed have none) and is not locked with it.

Comparison follows the national practice for 新旧対照表 (横書き): 改正後 on the left, 改正前 on
the right, only the provisions that change, and the changed words underlined (傍線); a new
provision reads （新設） on the old side, a removed one （削除） on the new side.
"""

import difflib
import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

ROLE_ORDER = ("economy", "urban_functions", "living_services")
ROLE_LETTERS = dict(zip(ROLE_ORDER, "アイウ", strict=True))
ROLE_NAMES = {
    "economy": "圏域全体の経済成長のけん引",
    "urban_functions": "高次の都市機能の集積・強化",
    "living_services": "圏域全体の生活関連機能サービスの向上",
}
# What the councils pass of an item (the English title is a translation, not among them).
ITEM_FIELDS = ("role", "field", "title", "central_city_part", "partner_part", "order")

ERROR_NO_ARTICLE = _(
    "The text has no article. Write each article on its own line as 「第1条　…」, after its "
    "heading in brackets such as 「（目的）」."
)
ERROR_ARTICLE_ORDER = _("%(article)s comes after %(previous)s: number the articles in order.")
ERROR_CONTENT_SHAPE = _(
    "The content must give a title, basic policy and text as text, and its items as a list, "
    "each with a role (%(roles)s), a title and what each party does."
)
ERROR_PREAMBLE_PARTIES = _(
    "The preamble must name the central city as 甲 and the partner as 乙, e.g. "
    "「長野市（以下「甲」という。）と須坂市（以下「乙」という。）は、…」."
)

_KANJI_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")}
_NUMBER = r"[0-9０-９]+|[〇一二三四五六七八九十百]+"
_ARTICLE = re.compile(rf"^第({_NUMBER})条(?:の({_NUMBER}))?(?:[\s　]+(.*)|$)")
_HEADING = re.compile(r"^[（(]([^）)]{1,40})[）)]$")
_PARAGRAPH = re.compile(r"^([0-9０-９]+)[\s　]+(.*)$")
_CLOSING = re.compile(r"^(附[\s　]*則|別表|別記)")


def _number(text: str) -> int:
    """An article number in arabic (half or full width) or kanji numerals: 12, １２, 十二."""
    text = unicodedata.normalize("NFKC", text)
    if text.isdigit():
        return int(text)
    total, digit = 0, 0
    for char in text:
        if char == "百":
            total, digit = total + (digit or 1) * 100, 0
        elif char == "十":
            total, digit = total + (digit or 1) * 10, 0
        else:
            digit = _KANJI_DIGITS[char]
    return total + digit


@dataclass(frozen=True)
class Article:
    """第N条 (or 第N条のM, inserted by an amendment): its heading and paragraphs."""

    number: tuple[int, int]
    title: str
    paragraphs: tuple[str, ...]

    @property
    def label(self) -> str:
        main, branch = self.number
        return f"第{main}条" + (f"の{branch}" if branch else "")

    def render(self) -> str:
        """The article as printed: heading line, 第N条 with the first paragraph, then ２, ３…"""
        lines = [f"（{self.title}）"] if self.title else []
        for index, paragraph in enumerate(self.paragraphs):
            mark = self.label if index == 0 else _full_width(index + 1)
            lines.append(f"{mark}　{paragraph}".rstrip("　"))
        return "\n".join(lines)


@dataclass(frozen=True)
class AgreementText:
    preamble: str = ""
    articles: tuple[Article, ...] = ()
    closing: str = ""
    errors: tuple = field(default=(), compare=False)


def _full_width(number: int) -> str:
    return str(number).translate(str.maketrans("0123456789", "０１２３４５６７８９"))


def parse(text: str) -> AgreementText:
    """Read a typed or pasted agreement text into preamble, articles and closing part.

    Errors (no article, articles out of order, a preamble that names no 甲 and 乙) are
    collected, not raised, so that a page can still show what was read."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    preamble: list[str] = []
    closing: list[str] = []
    articles: list[dict] = []
    heading = None
    for line in lines:
        stripped = line.strip()
        if closing or _CLOSING.match(stripped):
            closing.append(line)
            continue
        if not stripped:
            continue
        if match := _HEADING.match(stripped):
            if heading is not None:
                _continue(articles, preamble, f"（{heading}）")
            heading = match.group(1)
            continue
        if match := _ARTICLE.match(stripped):
            main, branch, body = match.groups()
            number = (_number(main), _number(branch) if branch else 0)
            articles.append({"number": number, "title": heading or "", "paragraphs": [body or ""]})
            heading = None
            continue
        if heading is not None:
            _continue(articles, preamble, f"（{heading}）")
            heading = None
        if articles and (match := _PARAGRAPH.match(stripped)):
            articles[-1]["paragraphs"].append(match.group(2))
            continue
        _continue(articles, preamble, stripped)
    if heading is not None:
        _continue(articles, preamble, f"（{heading}）")

    errors = []
    if text.strip() and not articles:
        errors.append((ERROR_NO_ARTICLE, {}))
    for previous, article in zip(articles, articles[1:], strict=False):
        if article["number"] <= previous["number"]:
            labels = [Article(a["number"], "", ()).label for a in (article, previous)]
            errors.append((ERROR_ARTICLE_ORDER, {"article": labels[0], "previous": labels[1]}))
    joined = "\n".join(preamble)
    if articles and not ("甲" in joined and "乙" in joined):
        errors.append((ERROR_PREAMBLE_PARTIES, {}))
    return AgreementText(
        preamble=joined,
        articles=tuple(Article(a["number"], a["title"], tuple(a["paragraphs"])) for a in articles),
        closing="\n".join(closing).strip("\n"),
        errors=tuple(errors),
    )


def _continue(articles: list[dict], preamble: list[str], line: str) -> None:
    """A line that starts nothing new: it goes on the current paragraph (a 号 or a wrapped
    line) or, before the first article, on the preamble."""
    if articles:
        paragraphs = articles[-1]["paragraphs"]
        paragraphs[-1] = f"{paragraphs[-1]}\n{line}" if paragraphs[-1] else line
    else:
        preamble.append(line)


def content_errors(content) -> list[tuple]:
    """What is wrong with a content read from outside (a record), as (message, params)."""
    shape = (ERROR_CONTENT_SHAPE, {"roles": "、".join(ROLE_ORDER)})
    if not isinstance(content, dict) or not isinstance(content.get("items", []), list):
        return [shape]
    if not all(isinstance(content.get(k, ""), str) for k in ("title", "basic_policy", "text")):
        return [shape]
    for item in content.get("items", []):
        if not (
            isinstance(item, dict)
            and item.get("role") in ROLE_ORDER
            and all(
                isinstance(item.get(k), str) and item.get(k)
                for k in ("title", "central_city_part", "partner_part")
            )
            and isinstance(item.get("field", ""), str)
            and isinstance(item.get("title_en", ""), str)
            and isinstance(item.get("order", 0), int)
        ):
            return [shape]
    return list(parse(content.get("text", "")).errors)


def default_text(*, central: str, partner: str, basic_policy: str = "", lapse_months=None) -> str:
    """The structure the real texts share (姫路市・稲美町, 岡山市・玉野市, 熊本市・山鹿市), to
    be filled in: preamble, 目的, 基本方針, the items by role in 別表, costs, the heads'
    meeting, lapse by notice where the parties want it, and matters not provided for."""
    policy = basic_policy.strip() or "甲及び乙は、相互に役割を分担し、連携して圏域の発展を図る。"
    articles = [
        (
            "目的",
            "この協約は、甲及び乙が連携して、圏域全体の経済成長のけん引、高次の都市機能の"
            "集積・強化及び生活関連機能サービスの向上を図り、もって圏域の活性化と住民が安心して"
            "快適に暮らせる地域の形成に資することを目的とする。",
        ),
        ("基本方針", policy),
        (
            "連携する取組及び役割分担",
            "甲及び乙は、前条の基本方針に基づき、別表第1から別表第3"
            "までに掲げる取組について、それぞれ同表に定める役割を分担して連携する。",
        ),
        ("費用負担", "前条の取組に要する費用の負担については、甲及び乙が協議して別に定める。"),
        ("連携協約の推進", "甲及び乙の長は、この協約の推進に関し、毎年度協議を行うものとする。"),
    ]
    if lapse_months:
        articles.append(
            (
                "失効",
                f"甲又は乙は、その議会の議決を経て、相手方に対しこの協約の失効を通告する"
                f"ことができる。この場合において、この協約は、通告のあった日から起算して"
                f"{lapse_months}月を経過した日にその効力を失う。",
            )
        )
    articles.append(
        ("その他", "この協約に定めるもののほか、必要な事項は、甲及び乙が協議して定める。")
    )
    preamble = (
        f"{central}（以下「甲」という。）と{partner}（以下「乙」という。）は、連携中枢都市圏"
        "構想推進要綱に基づき、地方自治法（昭和22年法律第67号）第252条の2第1項の規定により、"
        "次のとおり連携協約を締結する。"
    )
    body = "\n".join(
        Article((number, 0), title, (paragraph,)).render()
        for number, (title, paragraph) in enumerate(articles, start=1)
    )
    return f"{preamble}\n{body}"


# 新旧対照表 ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    text: str
    changed: bool


@dataclass(frozen=True)
class ComparisonRow:
    """One provision that changes: its label, and its text after (left) and before (right) as
    segments, the changed ones underlined. `None` on a side: the provision is new or removed."""

    label: str
    new: tuple[Segment, ...] | None
    old: tuple[Segment, ...] | None


def items_by_role(content: dict) -> dict[str, list[dict]]:
    """The content's items under each role, in their order: the annexed tables."""
    by_role: dict[str, list[dict]] = {role: [] for role in ROLE_ORDER}
    for item in content.get("items", []):
        by_role.setdefault(item["role"], []).append(item)
    for items in by_role.values():
        items.sort(key=lambda i: (i.get("order", 0), i.get("id") or 0))
    return by_role


def annex_title(role: str) -> str:
    index = ROLE_ORDER.index(role) + 1 if role in ROLE_ORDER else 0
    return f"別表第{index}（{ROLE_LETTERS.get(role, '')} {ROLE_NAMES.get(role, role)}）"


def render_item(item: dict) -> str:
    head = item["title"] + (f"（{item['field']}）" if item.get("field") else "")
    return f"{head}\n甲の役割　{item['central_city_part']}\n乙の役割　{item['partner_part']}"


def _provisions(content: dict, item_keys: dict[int, str]) -> dict[str, tuple[tuple, str, str]]:
    """Every provision of a content by a key that stays the same across versions: its place
    in print order (title, preamble, articles by number, closing, annexes by role), its label
    and its text. `item_keys` names each item (by its position in the content's list)."""
    text = parse(content.get("text", ""))
    provisions = {"title": ((0,), "題名", content.get("title", ""))}
    if text.preamble:
        provisions["preamble"] = ((1,), "前文", text.preamble)
    for article in text.articles:
        key = f"article:{article.number[0]}:{article.number[1]}"
        provisions[key] = ((2, *article.number), article.label, article.render())
    if text.closing:
        provisions["closing"] = ((3,), "附則等", text.closing)
    for index, item in enumerate(content.get("items", [])):
        role = item["role"]
        rank = ROLE_ORDER.index(role) if role in ROLE_ORDER else len(ROLE_ORDER)
        place = (4, rank, item.get("order", 0), item["title"])
        label = f"{annex_title(role)}　{item['title']}"
        provisions[item_keys[index]] = (place, label, render_item(item))
    return provisions


def _pair_items(old: list[dict], new: list[dict]) -> tuple[dict[int, str], dict[int, str]]:
    """Which item of the old content is which of the new: the same record (by id, where
    both know it), else the same role and title. Unpaired items are added or removed."""
    old_keys: dict[int, str] = {}
    new_keys: dict[int, str] = {}
    by_id = {item["id"]: index for index, item in enumerate(old) if item.get("id")}
    for index, item in enumerate(new):
        match = by_id.get(item.get("id")) if item.get("id") else None
        if match is not None and match not in old_keys:
            old_keys[match] = new_keys[index] = f"item:{index}"
    by_title = {
        (item["role"], item["title"]): index
        for index, item in enumerate(old)
        if index not in old_keys
    }
    for index, item in enumerate(new):
        if index in new_keys:
            continue
        match = by_title.pop((item["role"], item["title"]), None)
        new_keys[index] = f"item:{index}"
        if match is not None:
            old_keys[match] = new_keys[index]
    for index in range(len(old)):
        old_keys.setdefault(index, f"removed:{index}")
    return old_keys, new_keys


def segments(old: str, new: str) -> tuple[tuple[Segment, ...], tuple[Segment, ...]]:
    """Both texts cut into unchanged and changed runs, character by character; a run of one
    unchanged character between two changes joins them, as a reader would mark them."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    opcodes = matcher.get_opcodes()
    merged: list[list] = []
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        between_changes = 0 < index < len(opcodes) - 1
        if tag == "equal" and between_changes and i2 - i1 <= 1:
            tag = "replace"
        if merged and merged[-1][0] != "equal" and tag != "equal":
            merged[-1][2], merged[-1][4] = i2, j2
        else:
            merged.append([tag if tag == "equal" else "replace", i1, i2, j1, j2])
    old_parts, new_parts = [], []
    for tag, i1, i2, j1, j2 in merged:
        changed = tag != "equal"
        if i2 > i1:
            old_parts.append(Segment(old[i1:i2], changed))
        if j2 > j1:
            new_parts.append(Segment(new[j1:j2], changed))
    return tuple(old_parts), tuple(new_parts)


def compare(old: dict, new: dict) -> list[ComparisonRow]:
    """The 新旧対照表 of two contents: only the provisions that differ, in print order."""
    old_keys, new_keys = _pair_items(old.get("items", []), new.get("items", []))
    before, after = _provisions(old, old_keys), _provisions(new, new_keys)
    keys = sorted(dict.fromkeys([*after, *before]), key=lambda k: (after.get(k) or before[k])[0])
    rows = []
    for key in keys:
        _place, label, new_text = after.get(key) or (None, before[key][1], None)
        old_text = before[key][2] if key in before else None
        if old_text == new_text:
            continue
        if old_text is None:
            rows.append(ComparisonRow(label, (Segment(new_text, True),), None))
        elif new_text is None:
            rows.append(ComparisonRow(label, None, (Segment(old_text, True),)))
        else:
            old_parts, new_parts = segments(old_text, new_text)
            rows.append(ComparisonRow(label, new_parts, old_parts))
    return rows
