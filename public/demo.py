"""The Nagano demo: the real Nagano area with its recorded facts, and sample details.

Recorded facts (sources: 長野市 Q&A, the municipalities' pages, public/data/README.md):
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

from django.core.files.base import ContentFile
from django.db import models, transaction

from agreements.models import Agreement, AgreementItem, CouncilResolution, Procedure, Role
from agreements.services import agreement_save, item_save, procedure_save, resolution_save
from agreements.status import ProcedureKind, Result
from municipalities.models import AreaMembership, CommutingRatio, CooperationArea, Municipality
from municipalities.services import (
    area_save,
    commuting_ratio_save,
    membership_save,
    municipality_save,
    save_with,
)
from vision.models import (
    FiscalSupport,
    FiscalYearClosure,
    Indicator,
    IndicatorActual,
    IndicatorKind,
    IndicatorTarget,
    Project,
    ProjectBudget,
    ProjectField,
    ProjectParticipant,
    PublicComment,
    RoundtableMeeting,
    RoundtableMember,
    Sector,
    Vision,
)
from vision.progress import Direction
from vision.services import (
    actual_save,
    budget_save,
    closure_save,
    comment_save,
    indicator_save,
    meeting_save,
    member_save,
    participant_save,
    project_save,
    support_save,
    target_save,
    vision_revise,
    vision_save,
)

DATA = Path(__file__).resolve().parent / "data"
REASON = "Nagano demo"
AREA_SLUG = "nagano"
CONCLUDED_ON = datetime.date(2016, 3, 29)
KINDS = {"市": "city", "町": "town", "村": "village"}


def _ensure(
    model: type[models.Model], service, lookup: dict, values: dict, create_only: dict | None = None
) -> models.Model:
    """Create the record, or change only the fields that differ; never duplicate it.

    `create_only` values are set on a new record only (a later step may change them).
    """
    instance = model.objects.filter(**lookup).first()
    if instance is None:
        instance = model(**lookup, **values, **(create_only or {}))
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


# The first vision (2016–2020): (code, role, field, item index in ITEMS, lead code, participant
# codes or None for every partner whose agreement has the item, indicators).
# indicator: (code, name, unit, baseline 2014, target 2020, actuals 2016..)
PROJECTS = [
    (
        "ア-01",
        Role.ECONOMY,
        ProjectField.TOURISM,
        0,
        "202011",
        None,
        [
            (
                "1",
                "圏域の外国人延べ宿泊者数",
                "人泊",
                "98000",
                "150000",
                ["104000", "118000", "131000", "142000"],
            ),
        ],
    ),
    (
        "ア-02",
        Role.ECONOMY,
        ProjectField.LOCAL_ECONOMY,
        1,
        "202011",
        ["202070", "205419", "205435", "205907"],
        [("1", "首都圏での商談成立件数", "件", "12", "40", ["15", "19", "22", "20"])],
    ),
    (
        "イ-01",
        Role.URBAN_FUNCTIONS,
        ProjectField.URBAN_CENTRE,
        4,
        "202011",
        ["202185", "205907"],
        [("1", "圏域の路線バス利用者数", "千人", "5200", "5200", ["5100", "4980", "4850", "4700"])],
    ),
    (
        "ウ-01",
        Role.LIVING_SERVICES,
        ProjectField.COMMUNITY,
        5,
        "202011",
        None,
        [
            ("1", "サイト掲載の連携市町村企業数", "社", "0", "200", ["60", "110", "150", "190"]),
            ("2", "サイトを通じた就職者数", "人", "0", "100", ["8", "21", "35", "52"]),
        ],
    ),
    (
        "ウ-02",
        Role.LIVING_SERVICES,
        ProjectField.MIGRATION,
        6,
        "202070",
        ["202011", "205419", "205834", "205885"],
        [("1", "合同移住相談会の相談件数", "件", "150", "300", ["170", "210", "260", "310"])],
    ),
    (
        "ウ-03",
        Role.LIVING_SERVICES,
        ProjectField.STAFF_DEVELOPMENT,
        7,
        "202011",
        None,
        [("1", "連携市町村職員の研修参加者数", "人", "0", "250", ["90", "140", "180", "200"])],
    ),
]

# Invented roundtable (ビジョン懇談会, set up in November 2015 — seed Q12): members by sector.
ROUNDTABLE = [
    ("委員A（サンプル）", Sector.INDUSTRY, "地域の経済団体 会長（サンプル）", True),
    ("委員B（サンプル）", Sector.UNIVERSITY, "県内の大学 教授（サンプル）", False),
    ("委員C（サンプル）", Sector.FINANCE, "地域の金融機関 支店長（サンプル）", False),
    ("委員D（サンプル）", Sector.MEDICINE, "地域の医師会 理事（サンプル）", False),
    ("委員E（サンプル）", Sector.WELFARE, "社会福祉協議会 事務局長（サンプル）", False),
    ("委員F（サンプル）", Sector.TOWN_PLANNING, "まちづくり団体 代表（サンプル）", False),
]
MEETINGS = [
    (datetime.date(2015, 11, 24), "懇談会の設置について／連携中枢都市圏構想の概要"),
    (datetime.date(2016, 1, 19), "長野地域連携中枢都市圏ビジョン（骨子案）について"),
    (datetime.date(2016, 2, 23), "ビジョン案とパブリックコメントの結果について"),
]
REVISION_MEETINGS = [
    (datetime.date(2020, 11, 17), "ビジョンの成果と改定の方向性について（サンプル）"),
    (datetime.date(2021, 2, 24), "改定案とパブリックコメントの結果について（サンプル）"),
]

# (summary, the city's response, how the draft changed or "")
FIRST_COMMENTS = (
    datetime.date(2016, 1, 25),
    datetime.date(2016, 2, 15),
    [
        (
            "（サンプル）中山間地の公共交通を維持する取組を明記してほしい。",
            "（サンプル）圏域の公共交通ネットワークの充実に、地域内交通との接続を加えます。",
            "イ-01 の取組内容に「地域内交通との接続」を追記した。",
        ),
        (
            "（サンプル）移住者向けの相談窓口を各市町村に置いてほしい。",
            "（サンプル）合同相談会を中心に、各市町村の窓口と連携して対応します。",
            "",
        ),
        (
            "（サンプル）成果指標の実績を毎年公表してほしい。",
            "（サンプル）毎年度の実績をホームページで公表します。",
            "",
        ),
    ],
)
REVISION_COMMENTS = (
    datetime.date(2021, 1, 15),
    datetime.date(2021, 2, 14),
    [
        (
            "（サンプル）災害時の連携を取組に加えるべきである。",
            "（サンプル）災害時の相互応援を新たな取組として位置付けます。",
            "ウ-04「災害時の相互応援」を追加した。",
        ),
        (
            "（サンプル）観光の目標はコロナ禍の影響を考慮すべきではないか。",
            "（サンプル）2019年度の実績を基準に、2025年度の目標を設定しています。",
            "",
        ),
    ],
)

REVISION_TITLE = "長野地域スクラムビジョン（改定・サンプル）"
REVISION_ADOPTED_ON = datetime.date(2021, 3, 26)
# The revision (2021–2025): new baselines (2019) and targets (2025) of the projects kept,
# actual values from 2020, and yearly targets; one project removed and two added.
# (project code, indicator code): (baseline 2019, target 2025, {year: actual}, {year: target})
RETARGETS = {
    ("ア-01", "1"): (
        "142000",
        "200000",
        {
            2020: "30000",
            2021: "21000",
            2022: "68000",
            2023: "152000",
            2024: "188000",
            2025: "203000",
        },
        {2022: "100000", 2023: "150000"},
    ),
    ("ア-02", "1"): ("20", "50", {2020: "21", 2021: "25", 2022: "31", 2023: "37", 2024: "44"}, {}),
    ("イ-01", "1"): (
        "4700",
        "4700",
        {2020: "3600", 2021: "3750", 2022: "4050", 2023: "4200", 2024: "4300", 2025: "4350"},
        {},
    ),
    ("ウ-01", "1"): (
        "190",
        "300",
        {2021: "205", 2022: "221", 2023: "240", 2024: "262", 2025: "298"},
        {},
    ),
    ("ウ-01", "2"): ("52", "150", {2021: "58", 2022: "63", 2023: "70", 2024: "74", 2025: "78"}, {}),
    ("ウ-02", "1"): (
        "310",
        "450",
        {2021: "260", 2022: "300", 2023: "290", 2024: "280", 2025: "270"},
        {},
    ),
}
REMOVED_IN_REVISION = "ウ-03"
# 飯綱町 leads the agricultural brand in the revision: its clerk enters the 2025 value.
REVISION_LEADS = {"ア-02": "205907"}
ADDED_IN_REVISION = [
    (
        "イ-02",
        Role.URBAN_FUNCTIONS,
        ProjectField.ADVANCED_MEDICINE,
        3,
        "202011",
        (
            "1",
            "救急搬送の平均所要時間",
            "分",
            Direction.LOWER,
            "40.5",
            "36.0",
            2019,
            {2021: "40.2", 2022: "39.8", 2023: "39.0", 2024: "38.6", 2025: "38.0"},
        ),
    ),
    (
        "ウ-04",
        Role.LIVING_SERVICES,
        ProjectField.DISASTER_PREVENTION,
        8,
        "202011",
        ("1", "合同防災訓練に参加した市町村数", "市町村", Direction.HIGHER, "0", "9", 2020, {}),
    ),
]


def _covering_item(area: CooperationArea, town: Municipality, item_index: int):
    """The item of the partner's agreement for ITEMS[item_index] (None for the central city)."""
    if town.pk == area.central_city_id:
        return None
    return AgreementItem.objects.filter(
        agreement__area=area, agreement__partner=town, title=ITEMS[item_index][2]
    ).first()


def _project(vision, code, role, field, item_index, lead, order) -> Project:
    """A project named and described after the agreement item ITEMS[item_index]."""
    return _ensure(
        Project,
        project_save,
        {"vision": vision, "code": code},
        {
            "title": ITEMS[item_index][2],
            "role": role,
            "field": field,
            "lead": lead,
            "description": ITEMS[item_index][3],
            "order": order,
            "is_sample": True,
        },
    )


def _participants(project, area, towns, item_index, codes) -> None:
    partner_codes = [c for c, t in towns.items() if t.demo_role == "partner"]
    for code in codes or partner_codes:
        item = _covering_item(area, towns[code], item_index)
        if item is None and code != area.central_city.code:
            continue  # this partner's agreement does not have the item
        _ensure(
            ProjectParticipant,
            participant_save,
            {"project": project, "municipality": towns[code]},
            {"agreement_item": item},
        )


def _budgets(project, years, base: int, participants: int = 0) -> None:
    """Sample project costs: the lead's each year, and a share for its first participants."""
    towns = [project.lead] + [
        participation.municipality
        for participation in project.participations.select_related("municipality")
        .exclude(municipality=project.lead)
        .order_by("municipality__code")[:participants]
    ]
    for year in years:
        for town in towns:
            amount = base + (year % 5) * 1_000_000 if town == project.lead else 800_000
            _ensure(
                ProjectBudget,
                budget_save,
                {"project": project, "municipality": town, "fiscal_year": year},
                {"amount": Decimal(amount), "is_sample": True},
            )


def _roundtable_and_comments(vision: Vision, meetings, comments) -> None:
    for order, (name, sector, affiliation, chair) in enumerate(ROUNDTABLE):
        _ensure(
            RoundtableMember,
            member_save,
            {"vision": vision, "name": name},
            {
                "sector": sector,
                "affiliation": affiliation,
                "is_chair": chair,
                "order": order,
                "is_sample": True,
            },
        )
    for number, (held_on, agenda) in enumerate(meetings, start=1):
        meeting = _ensure(
            RoundtableMeeting,
            meeting_save,
            {"vision": vision, "held_on": held_on},
            {"agenda": agenda, "is_sample": True},
        )
        if not meeting.minutes_document:
            meeting.minutes_document.save(
                f"roundtable-{held_on:%Y%m%d}.pdf",
                ContentFile(sample_pdf(f"Roundtable meeting {number} - sample minutes")),
                save=False,
            )
            save_with(meeting_save, meeting, user=None, reason=REASON)
    _comments(vision, comments)


def _comments(vision: Vision, comments) -> None:
    starts_on, ends_on, rows = comments
    _ensure(
        Vision,
        vision_save,
        {"pk": vision.pk},
        {"comment_starts_on": starts_on, "comment_ends_on": ends_on},
    )
    for number, (summary, response, change) in enumerate(rows, start=1):
        _ensure(
            PublicComment,
            comment_save,
            {"vision": vision, "number": number},
            {
                "summary": summary,
                "response": response,
                "draft_changed": bool(change),
                "change_made": change,
                "is_sample": True,
            },
        )


def _first_vision(area: CooperationArea, towns: dict[str, Municipality]) -> Vision:
    vision = _ensure(
        Vision,
        vision_save,
        {"area": area, "title": "長野地域スクラムビジョン"},
        {
            "first_fiscal_year": 2016,
            "last_fiscal_year": 2020,
            "adopted_on": CONCLUDED_ON,
            "future_image": (
                "（将来像のサンプル）9市町村がスクラムを組み、人と地域がきらめく長野地域。"
            ),
            "is_sample": True,
        },
        create_only={"status": Vision.Status.ADOPTED},
    )
    for order, (code, role, field, item_index, lead, codes, indicators) in enumerate(PROJECTS):
        project = _project(vision, code, role, field, item_index, towns[lead], order)
        _participants(project, area, towns, item_index, codes)
        _budgets(project, range(2016, 2021), 6_000_000)
        for i_order, (i_code, name, unit, baseline, target, actuals) in enumerate(indicators):
            indicator = _ensure(
                Indicator,
                indicator_save,
                {"project": project, "code": i_code},
                {
                    "name": name,
                    "unit": unit,
                    "kind": IndicatorKind.for_unit(unit),
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
    _roundtable_and_comments(vision, MEETINGS, FIRST_COMMENTS)
    return vision


def _drop_project(project: Project) -> None:
    """Remove a project from a revision draft, with what was copied under it."""
    for indicator in project.indicators.all():
        indicator.actuals.all().delete()
        indicator.targets.all().delete()
    project.indicators.all().delete()
    project.budgets.all().delete()
    project.participations.all().delete()
    project.delete()


def _revision(area: CooperationArea, towns: dict[str, Municipality], first: Vision) -> Vision:
    revision = Vision.objects.filter(area=area, previous=first).first()
    if revision is None:
        revision = vision_revise(
            previous=first,
            user=None,
            title=REVISION_TITLE,
            first_fiscal_year=2021,
            last_fiscal_year=2025,
            revision_reason=(
                "（サンプル）計画期間の満了に伴い、新型コロナウイルス感染症の影響を踏まえて"
                "成果指標を見直し、救急医療と防災の取組を加える。"
            ),
            reason=REASON,
        )
        _drop_project(revision.projects.get(code=REMOVED_IN_REVISION))
    for code, lead in REVISION_LEADS.items():
        _ensure(Project, project_save, {"vision": revision, "code": code}, {"lead": towns[lead]})
    for (code, i_code), (baseline, target, actuals, targets) in RETARGETS.items():
        indicator = _ensure(
            Indicator,
            indicator_save,
            {"project__vision": revision, "project__code": code, "code": i_code},
            {
                "baseline_value": Decimal(baseline),
                "baseline_fiscal_year": 2019,
                "target_value": Decimal(target),
                "target_fiscal_year": 2025,
            },
        )
        _yearly(indicator, actuals, targets)
    for order, (code, role, field, item_index, lead, indicator_row) in enumerate(
        ADDED_IN_REVISION, start=len(PROJECTS)
    ):
        project = _project(revision, code, role, field, item_index, towns[lead], order)
        _participants(project, area, towns, item_index, None)
        i_code, name, unit, direction, baseline, target, baseline_year, actuals = indicator_row
        indicator = _ensure(
            Indicator,
            indicator_save,
            {"project": project, "code": i_code},
            {
                "name": name,
                "unit": unit,
                "kind": IndicatorKind.for_unit(unit),
                "direction": direction,
                "baseline_value": Decimal(baseline),
                "baseline_fiscal_year": baseline_year,
                "target_value": Decimal(target),
                "target_fiscal_year": 2025,
                "is_sample": True,
            },
        )
        _yearly(indicator, actuals, {})
    for project in revision.projects.select_related("lead"):
        _budgets(project, range(2021, 2026), 7_000_000, participants=2)
    _roundtable_and_comments(revision, REVISION_MEETINGS, REVISION_COMMENTS)
    return _ensure(
        Vision,
        vision_save,
        {"pk": revision.pk},
        {
            "status": Vision.Status.ADOPTED,
            "adopted_on": REVISION_ADOPTED_ON,
            "changes_note": (
                "（サンプル）計画期間を2021〜2025年度とし、成果指標の基準年度を2019年度に改めた。"
                "職員の合同研修は各市町村の研修計画に移して取組から外し、救急医療と防災を加えた。"
            ),
        },
    )


def _yearly(indicator: Indicator, actuals: dict, targets: dict) -> None:
    for year, value in targets.items():
        _ensure(
            IndicatorTarget,
            target_save,
            {"indicator": indicator, "fiscal_year": year},
            {"value": Decimal(value), "is_sample": True},
        )
    for year, value in actuals.items():
        _ensure(
            IndicatorActual,
            actual_save,
            {"indicator": indicator, "fiscal_year": year},
            {"value": Decimal(value), "is_sample": True},
        )


def _vision(area: CooperationArea, towns: dict[str, Municipality]) -> None:
    first = _first_vision(area, towns)
    _revision(area, towns, first)


def _fiscal_support(area: CooperationArea, towns: dict[str, Municipality]) -> None:
    """Sample allocation tax, 2016–2025: the central city's ordinary (about ¥150m, seed Q5) and
    special tax, and each partner's special tax under the ¥15m cap."""
    partners = [t for t in towns.values() if t.demo_role == "partner"]
    for year in range(2016, 2026):
        _ensure(
            FiscalSupport,
            support_save,
            {"area": area, "municipality": area.central_city, "fiscal_year": year},
            {
                "ordinary_amount": Decimal(148_000_000 + (year % 4) * 1_000_000),
                "special_amount": Decimal(118_000_000 + (year % 3) * 1_000_000),
                "is_sample": True,
            },
        )
        for index, town in enumerate(partners):
            _ensure(
                FiscalSupport,
                support_save,
                {"area": area, "municipality": town, "fiscal_year": year},
                {
                    "special_amount": Decimal(9_000_000 + ((index + year) % 6) * 1_000_000),
                    "is_sample": True,
                },
            )


def sample_pdf(text: str) -> bytes:
    """A one-page PDF showing one line of ASCII text (for sample minutes)."""
    stream = f"BT /F1 14 Tf 72 760 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


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
    _fiscal_support(area, towns)
    _closed_years(area)
    return area


def _closed_years(area: CooperationArea) -> None:
    """Planning staff have closed the fiscal years up to 2024: their values are final, while
    the clerks may still correct what they enter for 2025."""
    for year in range(2016, 2025):
        _ensure(FiscalYearClosure, closure_save, {"area": area, "fiscal_year": year}, {})
