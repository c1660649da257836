"""The Nagano demo: the real Nagano area with its recorded facts, and sample details.

Recorded facts (sources: 長野市 Q&A, the municipalities' pages, municipalities/data/README.md):
the nine members and the four eligible outsiders with their frameworks, the declaration of
2016-02-17, the eight agreements passed at the March 2016 sessions of both councils and in
force from 2016-03-29, and the vision 「長野地域スクラムビジョン」 adopted on 2016-03-29 for
five fiscal years. Everything else — texts, bill numbers, exact dates of submission and of
each resolution, project details and indicator values — is invented and saved with
`is_sample` set, so every page marks it. One amendment (飯綱町, adding disaster relief) is
invented outright and is before the councils, so that the demo clerk has a resolution to record.

`load()` is safe to run again: it finds each record by its natural key and saves only what
differs, through the same services as the admin.
"""

import csv
import datetime
from decimal import Decimal
from pathlib import Path

from django.db import models, transaction

from agreements.models import Agreement, AgreementItem, CouncilResolution, Procedure, Role
from agreements.services import agreement_save, item_save, procedure_save, resolution_save
from agreements.status import ProcedureKind, Result
from vision.models import Indicator, IndicatorActual, Project, ProjectParticipant, Vision
from vision.services import (
    actual_save,
    indicator_save,
    participant_save,
    project_save,
    vision_save,
)

from .models import AreaMembership, CommutingRatio, CooperationArea, Municipality
from .services import (
    area_save,
    commuting_ratio_save,
    membership_save,
    municipality_save,
    save_with,
)

DATA = Path(__file__).resolve().parent / "data"
REASON = "Nagano demo"
AREA_SLUG = "nagano"
CONCLUDED_ON = datetime.date(2016, 3, 29)
KINDS = {"市": "city", "町": "town", "村": "village"}


def _ensure(model: type[models.Model], service, lookup: dict, values: dict) -> models.Model:
    """Create the record, or change only the fields that differ; never duplicate it."""
    instance = model.objects.filter(**lookup).first()
    if instance is None:
        instance = model(**lookup, **values)
    elif all(getattr(instance, name) == value for name, value in values.items()):
        return instance
    else:
        for name, value in values.items():
            setattr(instance, name, value)
    return save_with(service, instance, user=None, reason=REASON)


def _municipalities() -> dict[str, Municipality]:
    with open(DATA / "localgovjp-nagano-area.csv", encoding="utf-8") as f:
        places = {row["lgcode"]: row for row in csv.DictReader(f)}
    result = {}
    with open(DATA / "nagano-area.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            place = places[row["code"]]
            result[row["code"]] = _ensure(
                Municipality,
                municipality_save,
                {"code": row["code"]},
                {
                    "name": row["name"],
                    "name_kana": row["name_kana"],
                    "kind": KINDS[row["kind"]],
                    "prefecture": place["pref"],
                    "population": int(row["population_2020"]),
                    "population_census_year": 2020,
                    "population_figure": row["population_figure"],
                    "area_km2": Decimal(row["area_km2"]),
                    "website": place["url"],
                    "latitude": Decimal(place["lat"]).quantize(Decimal("0.000001")),
                    "longitude": Decimal(place["lng"]).quantize(Decimal("0.000001")),
                },
            )
            result[row["code"]].demo_role = row["role"]
            result[row["code"]].other_framework = row["other_framework"]
    return result


DECLARATION = (
    "長野市は、長野地域の中心都市として、圏域全体の経済をけん引し、圏域の住民全体の暮らしを"
    "支えるという役割を担う意思をここに表明し、連携中枢都市となることを宣言します。"
)

# Items of cooperation; each partner takes a different selection (seed Q2, Q3③).
ITEMS = [
    (
        Role.ECONOMY,
        "観光",
        "外国人観光客誘致促進事業",
        "圏域の観光資源を一体的に海外へ発信し、誘客プロモーションを行う。",
        "自らの観光資源の情報を提供し、受入れ環境を整える。",
    ),
    (
        Role.ECONOMY,
        "農業",
        "農産物のブランド化と販路拡大",
        "圏域の農産物を共通ブランドとして首都圏等へ売り込む。",
        "特産品を提供し、生産者を支援する。",
    ),
    (
        Role.ECONOMY,
        "産業",
        "ものづくり産業の支援",
        "産学官の連携拠点で技術相談と販路開拓を支援する。",
        "域内企業へ支援制度を周知し、参加を促す。",
    ),
    (
        Role.URBAN_FUNCTIONS,
        "医療",
        "高度医療・救急医療体制の充実",
        "救急医療と高度医療の提供体制を維持・充実する。",
        "初期救急を担い、医療機関との連携に参加する。",
    ),
    (
        Role.URBAN_FUNCTIONS,
        "交通",
        "圏域の公共交通ネットワークの充実",
        "中心市街地と圏域を結ぶ路線の維持を調整する。",
        "地域内交通を運行し、幹線との接続を確保する。",
    ),
    (
        Role.LIVING_SERVICES,
        "雇用",
        "就職情報サイト「おしごとながの」の拡大",
        "就職情報サイト「おしごとながの」を連携市町村に拡大し運営する。",
        "地元企業の求人情報を提供し、サイトを周知する。",
    ),
    (
        Role.LIVING_SERVICES,
        "移住",
        "移住・交流の促進",
        "圏域合同の移住相談会を開催する。",
        "空き家情報と暮らしの情報を提供する。",
    ),
    (
        Role.LIVING_SERVICES,
        "人材育成",
        "職員の合同研修",
        "職員研修を連携市町村の職員にも開放する。",
        "職員を研修に参加させる。",
    ),
    (
        Role.LIVING_SERVICES,
        "防災",
        "災害時の相互応援",
        "災害時に物資と職員を派遣する体制を整える。",
        "相互応援の訓練に参加する。",
    ),
]

# Sample bill numbers: (central city's bill, partner's bill, partner's resolution day).
PARTNER_SAMPLES = {
    "202070": ([0, 1, 3, 5, 6, 7, 8], 31, 18),
    "202185": ([0, 2, 3, 4, 5, 7, 8], 32, 22),
    "205214": ([0, 2, 5, 7, 8], 33, 16),
    "205419": ([0, 1, 5, 6, 7], 34, 15),
    "205435": ([0, 1, 6, 7, 8], 35, 17),
    "205834": ([0, 1, 5, 6, 7, 8], 36, 14),
    "205885": ([0, 5, 6, 7, 8], 37, 11),
    "205907": ([0, 1, 4, 5, 6, 7], 38, 15),
}


def _area(towns: dict[str, Municipality]) -> CooperationArea:
    return _ensure(
        CooperationArea,
        area_save,
        {"slug": AREA_SLUG},
        {
            "name": "長野地域連携中枢都市圏",
            "central_city": towns["202011"],
            "declared_on": datetime.date(2016, 2, 17),
            "declaration_text": DECLARATION,
            "declaration_is_sample": True,
            "description": (
                "長野市と周辺8市町村による連携中枢都市圏。2015年7月6日に9市町村長が"
                "長野地域連携推進協議会を設立した。"
            ),
        },
    )


def _membership_and_ratios(area: CooperationArea, towns: dict[str, Municipality]) -> None:
    for town in towns.values():
        if town.demo_role == "partner":
            _ensure(
                AreaMembership,
                membership_save,
                {"area": area, "municipality": town, "joined_on": CONCLUDED_ON},
                {"left_on": None},
            )
    for town in towns.values():
        if town.demo_role == "central":
            continue
        outside = town.demo_role == "eligible_non_member"
        _ensure(
            CommutingRatio,
            commuting_ratio_save,
            {"area": area, "municipality": town},
            {
                "ratio": None,
                "survey_year": None,
                "meets_rule": True,
                "outside_reason": (
                    f"{town.other_framework}の構成市町村であるため" if outside else ""
                ),
                "source": "長野市「連携中枢都市圏構想に関するＱ＆Ａ」Q10",
                "is_sample": False,
            },
        )


def _agreements(area: CooperationArea, towns: dict[str, Municipality]) -> None:
    central = towns["202011"]
    for code, (item_indexes, bill, day) in PARTNER_SAMPLES.items():
        partner = towns[code]
        agreement = _ensure(
            Agreement,
            agreement_save,
            {"area": area, "partner": partner},
            {
                "title": f"連携中枢都市圏形成に係る連携協約（長野市・{partner.name}）",
                "basic_policy": (
                    f"長野市と{partner.name}は、互いの強みを活かし弱みを補い合い、"
                    "圏域全体の活性化と住民サービスの向上を図る。"
                ),
                "text": "（協約本文のサンプル）第1条 目的 … 第2条 基本的な方針 … 第3条 役割分担 …",
                "term_start": None,
                "term_end": None,
                "is_sample": True,
                "is_public": True,
            },
        )
        for order, index in enumerate(item_indexes):
            role, field, title, central_part, partner_part = ITEMS[index]
            _ensure(
                AgreementItem,
                item_save,
                {"agreement": agreement, "title": title},
                {
                    "role": role,
                    "field": field,
                    "central_city_part": central_part,
                    "partner_part": partner_part,
                    "order": order,
                    "is_sample": True,
                },
            )
        procedure = _ensure(
            Procedure,
            procedure_save,
            {"agreement": agreement, "kind": ProcedureKind.CONCLUSION},
            {
                "summary": "連携協約の締結",
                "proposed_text": agreement.text,
                "proposed_on": datetime.date(2016, 2, 24),
                "is_sample": True,
            },
        )
        for town, session, bill_number, resolved_on in (
            (central, "平成28年3月定例会", f"議案第{bill}号", datetime.date(2016, 3, 23)),
            (partner, "平成28年3月定例会", f"議案第{bill - 20}号", datetime.date(2016, 3, day)),
        ):
            _ensure(
                CouncilResolution,
                resolution_save,
                {"procedure": procedure, "municipality": town, "result": Result.PASSED},
                {
                    "session": session,
                    "bill_number": bill_number,
                    "resolved_on": resolved_on,
                    "is_sample": True,
                },
            )
        _ensure(
            Procedure,
            procedure_save,
            {"pk": procedure.pk},
            {
                "effective_on": CONCLUDED_ON,
                "central_notice_on": CONCLUDED_ON,
                "partner_notice_on": CONCLUDED_ON,
                "governor_notified_on": datetime.date(2016, 3, 31),
            },
        )


# (role, field, title, lead code, participant codes or None for all, indicators)
# indicator: (name, unit, baseline, target, actuals 2016..)
PROJECTS = [
    (
        Role.ECONOMY,
        "観光",
        "外国人観光客誘致促進事業",
        "202011",
        None,
        [
            (
                "圏域の外国人延べ宿泊者数",
                "人泊",
                "98000",
                "150000",
                ["104000", "118000", "131000", "142000"],
            ),
        ],
    ),
    (
        Role.ECONOMY,
        "農業",
        "農産物のブランド化と販路拡大",
        "202011",
        ["202070", "205419", "205435", "205907"],
        [
            ("首都圏での商談成立件数", "件", "12", "40", ["15", "19", "22", "20"]),
        ],
    ),
    (
        Role.URBAN_FUNCTIONS,
        "交通",
        "圏域の公共交通ネットワークの充実",
        "202011",
        ["202185", "205214", "205907"],
        [
            ("圏域の路線バス利用者数", "千人", "5200", "5200", ["5100", "4980", "4850", "4700"]),
        ],
    ),
    (
        Role.LIVING_SERVICES,
        "雇用",
        "就職情報サイト「おしごとながの」の拡大",
        "202011",
        None,
        [
            ("サイト掲載の連携市町村企業数", "社", "0", "200", ["60", "110", "150", "190"]),
            ("サイトを通じた就職者数", "人", "0", "100", ["8", "21", "35", "52"]),
        ],
    ),
    (
        Role.LIVING_SERVICES,
        "移住",
        "移住・交流の促進",
        "202070",
        ["202011", "205419", "205834", "205885"],
        [
            ("合同移住相談会の相談件数", "件", "150", "300", ["170", "210", "260", "310"]),
        ],
    ),
    (
        Role.LIVING_SERVICES,
        "人材育成",
        "職員の合同研修",
        "202011",
        None,
        [
            ("連携市町村職員の研修参加者数", "人", "0", "250", ["90", "140", "180", "200"]),
        ],
    ),
]


def _vision(area: CooperationArea, towns: dict[str, Municipality]) -> None:
    vision = _ensure(
        Vision,
        vision_save,
        {"area": area, "title": "長野地域スクラムビジョン"},
        {
            "first_fiscal_year": 2016,
            "last_fiscal_year": 2020,
            "status": Vision.Status.ADOPTED,
            "adopted_on": CONCLUDED_ON,
            "future_image": (
                "（将来像のサンプル）9市町村がスクラムを組み、人と地域がきらめく長野地域。"
            ),
            "is_sample": True,
        },
    )
    partner_codes = [c for c, t in towns.items() if t.demo_role == "partner"]
    for order, (role, field, title, lead, participants, indicators) in enumerate(PROJECTS):
        project = _ensure(
            Project,
            project_save,
            {"vision": vision, "title": title},
            {"role": role, "field": field, "lead": towns[lead], "order": order, "is_sample": True},
        )
        for code in participants or partner_codes:
            _ensure(
                ProjectParticipant,
                participant_save,
                {"project": project, "municipality": towns[code]},
                {},
            )
        for i_order, (name, unit, baseline, target, actuals) in enumerate(indicators):
            indicator = _ensure(
                Indicator,
                indicator_save,
                {"project": project, "name": name},
                {
                    "unit": unit,
                    "baseline_value": Decimal(baseline),
                    "baseline_fiscal_year": 2014,
                    "target_value": Decimal(target),
                    "target_fiscal_year": 2020,
                    "order": i_order,
                    "is_sample": True,
                },
            )
            for year, value in enumerate(actuals, start=2016):
                _ensure(
                    IndicatorActual,
                    actual_save,
                    {"indicator": indicator, "fiscal_year": year},
                    {"value": Decimal(value), "is_sample": True},
                )


# An invented amendment before the councils, so that the demo clerk has something to record.
PENDING_AMENDMENT_PARTNER = "205907"  # 飯綱町


def _pending_amendment(area: CooperationArea, towns: dict[str, Municipality]) -> None:
    agreement = Agreement.objects.get(area=area, partner=towns[PENDING_AMENDMENT_PARTNER])
    _ensure(
        Procedure,
        procedure_save,
        {
            "agreement": agreement,
            "kind": ProcedureKind.AMENDMENT,
            "summary": "連携事項の追加（防災）",
        },
        {
            "proposed_text": "（サンプル）第3条の連携事項に「災害時の相互応援」を加える。",
            "proposed_on": datetime.date(2026, 11, 20),
            "is_sample": True,
        },
    )


@transaction.atomic
def load() -> CooperationArea:
    """Load (or bring up to date) the Nagano demo; return the area."""
    towns = _municipalities()
    area = _area(towns)
    _membership_and_ratios(area, towns)
    _agreements(area, towns)
    _pending_amendment(area, towns)
    _vision(area, towns)
    return area
