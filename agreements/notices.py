"""Each party's public notice (告示) of a conclusion, amendment or abolition, as the text a
city office publishes in its gazette (§252-2 ¶2, and ¶4 for amendment and abolition).

The text is generated from the record: the party's notice number and date, what was done
and with whom, the day it takes effect, and the agreement (or the amendment's content) as
passed by both councils. The head's name is left for the office to add when it signs.
"""

from municipalities.wareki import wareki_date

from .status import ProcedureKind
from .texts import annex_title, items_by_role, render_item

_DONE = {
    ProcedureKind.CONCLUSION: ("締結した", "締結の日"),
    ProcedureKind.AMENDMENT: ("変更した", "変更の日"),
    ProcedureKind.ABOLITION: ("廃止した", "廃止の日"),
}
_APPLIED = "（同条第4項において準用する場合を含む。）"

# Procedures each party gives public notice of (a lapse is notified by one party only).
NOTICE_KINDS = (ProcedureKind.CONCLUSION, ProcedureKind.AMENDMENT, ProcedureKind.ABOLITION)


def has_notice(procedure) -> bool:
    """Whether the parties' notices of the procedure are there to show: from the day it is
    signed, or in effect."""
    return procedure.kind in NOTICE_KINDS and bool(procedure.signed_on or procedure.effective_on)


def _head(party) -> str:
    """長野市長, 飯綱町長, 長野県知事."""
    name = party.name
    if name.endswith(("都", "道", "府", "県")):
        return f"{name}知事"
    return f"{name}長"


def notice_text(agreement, procedure, party, content: dict | None, *, title: str) -> str:
    """The 告示 of `party` for `procedure`, with the content the councils passed; `title` is
    the agreement's as the public reads it, for a procedure that carries no content."""
    central = party.pk == agreement.central_party_id
    other = agreement.partner if central else agreement.central_party
    number = procedure.central_notice_number if central else procedure.partner_notice_number
    notice_on = procedure.central_notice_on if central else procedure.partner_notice_on
    done, day = _DONE.get(procedure.kind, _DONE[ProcedureKind.CONCLUSION])
    applied = "" if procedure.kind == ProcedureKind.CONCLUSION else _APPLIED
    lines = [
        number or f"{party.name}告示第　号",
        "",
        f"　地方自治法（昭和22年法律第67号）第252条の2第1項の規定により、{other.name}との間で"
        f"次のとおり連携協約を{done}ので、同条第2項{applied}の規定により告示する。",
        "",
        f"　　{wareki_date(notice_on)}" if notice_on else "　　年　月　日",
        "",
        f"　　　　　　　　　　　　　　　　{_head(party)}",
        "",
        f"１　連携協約の名称　{(content or {}).get('title') or title}",
        f"２　連携協約の相手方　{other.name}",
    ]
    if procedure.signed_on:
        lines.append(f"３　{day}　{wareki_date(procedure.signed_on)}")
    if procedure.effective_on:
        lines.append(f"４　効力発生日　{wareki_date(procedure.effective_on)}")
    if content and procedure.kind != ProcedureKind.ABOLITION:
        after = "" if procedure.kind == ProcedureKind.CONCLUSION else "（変更後）"
        lines += [f"５　連携協約{after}", ""]
        lines.append(content["title"])
        lines.append("")
        lines.append(content["text"])
        for role, items in items_by_role(content).items():
            if not items:
                continue
            lines += ["", annex_title(role)]
            for item in items:
                lines += ["", render_item(item)]
    return "\n".join(lines).rstrip() + "\n"
