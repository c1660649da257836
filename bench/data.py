"""Synthetic national-scale data for the benchmark, written in batches with bulk_create.

The services validate and save one object at a time and record its history: right for
people, hours for hundreds of areas. `build()` writes the same shape of record in batches
instead, and keeps every rule of the models' `clean()` and every database constraint by
construction: codes with their check digit, partners that are members before their
agreement, both councils' passes between the submission and the date of effect (in the
past), an item of the partner's own agreement under the project's role for each partner
that takes part, budgets within the vision's years, yearly targets and actuals within
their indicator's years. History tables stay empty (bulk_create writes none); each
agreement's stored status is computed afterwards by `agreements.stored_status.refresh`.

On an empty, migrated database (bench.run does this for each scale):

    DATABASE_URL=postgres://… SECRET_KEY=… .venv/bin/python -m bench.data \\
        --areas 40 --partners 10 --projects 50 [--big-area-partners 800]

`--urls` prints instead, as JSON, the rows of each model and one address of every kind of
public page; `--check` runs every model's full validation on every row (for small data:
bench.run's quick mode).
"""

# Run as a script, Django is set up before the models are imported.
# ruff: noqa: E402

import argparse
import datetime
import json
import os
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

import django

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()

from django.apps import apps
from django.db import connection, models, transaction

from agreements import stored_status
from agreements.models import (
    ROLE_LETTERS,
    Agreement,
    AgreementItem,
    CouncilResolution,
    Procedure,
    Role,
)
from agreements.status import ProcedureKind, Result
from agreements.texts import default_text
from municipalities.codes import check_digit
from municipalities.models import AreaMembership, CommutingRatio, CooperationArea, Municipality
from municipalities.wareki import era_of, fiscal_year_of
from vision.models import (
    FIELD_ROLES,
    Indicator,
    IndicatorActual,
    IndicatorKind,
    IndicatorTarget,
    Project,
    ProjectBudget,
    ProjectParticipant,
    Vision,
    VisionStatus,
)
from vision.progress import Direction

BATCH = 2000
STATUS_BATCH = 1000
BIG_SLUG = "bench-big"
SAMPLE = "（ベンチマーク用のサンプル）"

# In the order of their codes (01 北海道 … 47 沖縄県).
PREFECTURE_NAMES = (
    "北海道 青森県 岩手県 宮城県 秋田県 山形県 福島県 茨城県 栃木県 群馬県 埼玉県 千葉県 東京都 "
    "神奈川県 新潟県 富山県 石川県 福井県 山梨県 長野県 岐阜県 静岡県 愛知県 三重県 滋賀県 京都府 "
    "大阪府 兵庫県 奈良県 和歌山県 鳥取県 島根県 岡山県 広島県 山口県 徳島県 香川県 愛媛県 高知県 "
    "福岡県 佐賀県 長崎県 熊本県 大分県 宮崎県 鹿児島県 沖縄県"
)
PREFECTURES = tuple(PREFECTURE_NAMES.split())
KANA_DIGITS = ("ぜろ", "いち", "に", "さん", "よん", "ご", "ろく", "なな", "はち", "きゅう")
ITEM_FIELDS = {
    Role.ECONOMY: "産業振興",
    Role.URBAN_FUNCTIONS: "高度医療",
    Role.LIVING_SERVICES: "地域公共交通",
}
PROJECT_TITLES = {
    Role.ECONOMY: ("広域観光プロモーション", "創業・事業承継支援", "地域産品の販路拡大"),
    Role.URBAN_FUNCTIONS: ("高度医療体制の充実", "大学との連携講座", "広域交通拠点の整備"),
    Role.LIVING_SERVICES: ("地域医療の確保", "子育て支援の連携", "防災協定の運用", "移住促進"),
}
# The guideline's fields of each role (ProjectField), "other" left out.
FIELDS = {
    role: sorted(name for name, roles in FIELD_ROLES.items() if roles == {role}) for role in Role
}


def _kana_number(number: int) -> str:
    return "".join(KANA_DIGITS[int(digit)] for digit in str(number))


class _Codes:
    """Unique local government codes with their check digit, prefecture by prefecture; a
    prefecture that runs out of numbers (900 each) continues in the next one."""

    def __init__(self) -> None:
        self.next_number: dict[int, int] = {}

    def take(self, prefecture: int) -> tuple[str, int]:
        for offset in range(len(PREFECTURES)):
            candidate = (prefecture - 1 + offset) % len(PREFECTURES) + 1
            number = self.next_number.get(candidate, 100)
            if number <= 999:
                self.next_number[candidate] = number + 1
                first_five = f"{candidate:02d}{number:03d}"
                return first_five + str(check_digit(first_five)), candidate
        raise ValueError("No local government code is left.")


@dataclass
class _Plan:
    """One synthetic area: its number, partners and dates, and the rows written for it."""

    index: int
    slug: str
    label: str
    label_kana: str
    partner_count: int
    base: datetime.date
    spread: float
    central: Municipality | None = None
    partners: list[Municipality] = field(default_factory=list)
    area: CooperationArea | None = None
    items: dict[tuple[int, str], AgreementItem] = field(default_factory=dict)

    @property
    def joined_on(self) -> datetime.date:
        return self.base + datetime.timedelta(days=30)

    @property
    def proposed_on(self) -> datetime.date:
        return self.base + datetime.timedelta(days=40)

    @property
    def effective_on(self) -> datetime.date:
        return self.base + datetime.timedelta(days=75)

    @property
    def fiscal_year(self) -> int:
        """The vision's first fiscal year: the one in which the agreements took effect."""
        return fiscal_year_of(self.effective_on)


def _plans(areas: int, partners: int, big_area_partners: int) -> list[_Plan]:
    plans = [
        _Plan(
            index=i,
            slug=f"bench-{i + 1:03d}",
            label=f"{i + 1:03d}",
            label_kana=_kana_number(i + 1),
            partner_count=partners,
            # Declarations from April 2015 to early 2019: every date below stays in the past.
            base=datetime.date(2015, 4, 1) + datetime.timedelta(days=(i * 53) % 1400),
            spread=0.3,
        )
        for i in range(areas)
    ]
    if big_area_partners:
        plans.append(
            _Plan(
                index=areas,
                slug=BIG_SLUG,
                label="広域",
                label_kana="こういき",
                partner_count=big_area_partners,
                base=datetime.date(2016, 2, 17),
                spread=1.5,
            )
        )
    return plans


def _insert(rows: list[models.Model], out: Callable[[str], None]) -> None:
    if not rows:
        return
    started = time.perf_counter()
    type(rows[0]).objects.bulk_create(rows, batch_size=BATCH)
    seconds = time.perf_counter() - started
    out(f"  {type(rows[0]).__name__}: {len(rows):,} rows in {seconds:.1f} s")


def _session(day: datetime.date) -> str:
    era, year = era_of(day)
    return f"{era}{'元' if year == 1 else year}年{day.month}月定例会"


def _municipalities(plans: list[_Plan], rng: random.Random) -> list[Municipality]:
    codes = _Codes()
    rows = []

    def municipality(prefecture, name, kana, kind, population, lat, lon) -> Municipality:
        code, prefecture = codes.take(prefecture)
        return Municipality(
            code=code,
            name=name,
            name_kana=kana,
            kind=kind,
            prefecture=PREFECTURES[prefecture - 1],
            population=population,
            population_census_year=2020,
            population_figure=Municipality.PopulationFigure.FINAL,
            area_km2=Decimal(rng.randint(1_000, 90_000)) / 100,
            website=f"https://www.bench-{code}.example.jp/",
            latitude=Decimal(f"{lat:.6f}"),
            longitude=Decimal(f"{lon:.6f}"),
        )

    for plan in plans:
        prefecture = plan.index % len(PREFECTURES) + 1
        lat, lon = rng.uniform(31.5, 43.5), rng.uniform(130.5, 144.5)
        plan.central = municipality(
            prefecture,
            f"ベンチ{plan.label}市",
            f"べんち{plan.label_kana}し",
            Municipality.Kind.CITY,
            rng.randint(200_000, 700_000),
            lat,
            lon,
        )
        rows.append(plan.central)
        for p in range(plan.partner_count):
            is_city = p % 4 == 0
            plan.partners.append(
                municipality(
                    prefecture,
                    f"ベンチ{plan.label}第{p + 1}{'市' if is_city else '町'}",
                    f"べんち{plan.label_kana}だい{_kana_number(p + 1)}"
                    + ("し" if is_city else "ちょう"),
                    Municipality.Kind.CITY if is_city else Municipality.Kind.TOWN,
                    rng.randint(30_000, 120_000) if is_city else rng.randint(3_000, 30_000),
                    lat + rng.uniform(-plan.spread, plan.spread),
                    lon + rng.uniform(-plan.spread, plan.spread),
                )
            )
        rows.extend(plan.partners)
    return rows


def _areas(plans: list[_Plan]) -> list[CooperationArea]:
    for plan in plans:
        plan.area = CooperationArea(
            name=f"ベンチ{plan.label}連携中枢都市圏",
            slug=plan.slug,
            central_city_id=plan.central.pk,
            declared_on=plan.base,
            declaration_text=(
                f"{plan.central.name}は、圏域全体の経済をけん引し、住民全体の暮らしを支える"
                f"ことを宣言します。{SAMPLE}"
            ),
            declaration_is_sample=True,
            description=f"{plan.central.name}と周辺{plan.partner_count}市町による圏域。{SAMPLE}",
        )
    return [plan.area for plan in plans]


def _memberships_and_ratios(plans: list[_Plan], rng: random.Random) -> tuple[list, list]:
    memberships, ratios = [], []
    for plan in plans:
        for partner in plan.partners:
            memberships.append(
                AreaMembership(
                    area_id=plan.area.pk, municipality_id=partner.pk, joined_on=plan.joined_on
                )
            )
            ratios.append(
                CommutingRatio(
                    area_id=plan.area.pk,
                    municipality_id=partner.pk,
                    ratio=Decimal(rng.randint(1_000, 4_500)) / 10_000,
                    survey_year=2015,
                    meets_rule=True,
                    source=f"国勢調査{SAMPLE}",
                    is_sample=True,
                )
            )
    return memberships, ratios


def _basic_policy(central: str, partner: str) -> str:
    return (
        f"{central}と{partner}は、互いの強みを活かし弱みを補い合い、"
        "圏域全体の活性化と住民サービスの向上を図る。"
    )


def _agreements(plans: list[_Plan]) -> dict[int, list[Agreement]]:
    """One public agreement per partner, by area index."""
    agreements = {}
    for plan in plans:
        central = plan.central.name
        agreements[plan.index] = [
            Agreement(
                area_id=plan.area.pk,
                central_party_id=plan.central.pk,
                partner_id=partner.pk,
                title=f"連携中枢都市圏形成に係る連携協約（{central}・{partner.name}）",
                basic_policy=_basic_policy(central, partner.name),
                # The structure the real texts share, as the admin offers it.
                text=default_text(
                    central=central,
                    partner=partner.name,
                    basic_policy=_basic_policy(central, partner.name),
                ),
                is_sample=True,
                is_public=True,
            )
            for partner in plan.partners
        ]
    return agreements


def _items(plans: list[_Plan], agreements: dict[int, list[Agreement]]) -> list[AgreementItem]:
    """Three items per agreement, one under each role."""
    rows = []
    for plan in plans:
        for agreement in agreements[plan.index]:
            for order, role in enumerate(Role):
                item = AgreementItem(
                    agreement_id=agreement.pk,
                    role=role,
                    field=ITEM_FIELDS[role],
                    title=f"{ITEM_FIELDS[role]}に関する連携",
                    central_city_part=f"{ITEM_FIELDS[role]}の事業を企画し、運営する。",
                    partner_part="事業に参加し、住民への周知と情報提供を行う。",
                    order=order,
                    is_sample=True,
                )
                plan.items[(agreement.partner_id, role)] = item
                rows.append(item)
    return rows


def _procedures(plans: list[_Plan], agreements: dict[int, list[Agreement]]) -> list[Procedure]:
    """One conclusion per agreement, submitted, passed by both councils and in effect."""
    return [
        Procedure(
            agreement_id=agreement.pk,
            kind=ProcedureKind.CONCLUSION,
            summary="連携協約の締結",
            proposed_text=agreement.text,
            proposed_on=plan.proposed_on,
            effective_on=plan.effective_on,
            central_notice_on=plan.effective_on,
            partner_notice_on=plan.effective_on,
            governor_notified_on=plan.effective_on + datetime.timedelta(days=3),
            is_sample=True,
        )
        for plan in plans
        for agreement in agreements[plan.index]
    ]


def _resolutions(
    plans: list[_Plan], agreements: dict[int, list[Agreement]], procedures: list[Procedure]
) -> list[CouncilResolution]:
    """Both councils pass each conclusion between its submission and its date of effect."""
    councils = [
        (plan.central.pk, agreement.partner_id)
        for plan in plans
        for agreement in agreements[plan.index]
    ]
    rows = []
    for n, (procedure, (central_id, partner_id)) in enumerate(
        zip(procedures, councils, strict=True)
    ):
        central_on = procedure.proposed_on + datetime.timedelta(days=20 + n % 5)
        partner_on = procedure.proposed_on + datetime.timedelta(days=15 + n % 10)
        for municipality_id, resolved_on, bill in (
            (central_id, central_on, 10 + n % 90),
            (partner_id, partner_on, 1 + n % 30),
        ):
            rows.append(
                CouncilResolution(
                    procedure_id=procedure.pk,
                    municipality_id=municipality_id,
                    session=_session(resolved_on),
                    bill_number=f"議案第{bill}号",
                    resolved_on=resolved_on,
                    result=Result.PASSED,
                    document_pending="議決書は議会事務局から届き次第掲載します。",
                    is_sample=True,
                )
            )
    return rows


def _visions(plans: list[_Plan]) -> list[Vision]:
    return [
        Vision(
            area_id=plan.area.pk,
            title=f"ベンチ{plan.label}連携中枢都市圏ビジョン",
            first_fiscal_year=plan.fiscal_year,
            last_fiscal_year=plan.fiscal_year + 4,
            status=VisionStatus.ADOPTED,
            adopted_on=plan.effective_on,
            future_image=f"人と地域がつながり、暮らし続けられる圏域。{SAMPLE}",
            is_sample=True,
        )
        for plan in plans
    ]


def _projects(plans: list[_Plan], visions: list[Vision], projects: int) -> list[Project]:
    """`projects` per vision over the three roles, led in turn by the central city and a
    partner."""
    rows = []
    for plan, vision in zip(plans, visions, strict=True):
        roles = list(Role)
        for k in range(projects):
            role = roles[k % 3]
            number = k // 3 + 1
            titles = PROJECT_TITLES[role]
            lead = plan.central if k % 2 == 0 else plan.partners[k % len(plan.partners)]
            rows.append(
                Project(
                    vision_id=vision.pk,
                    code=f"{ROLE_LETTERS[role]}-{number:02d}",
                    role=role,
                    field=FIELDS[role][number % len(FIELDS[role])],
                    title=f"{titles[number % len(titles)]}（{number}）",
                    description=f"圏域の市町が連携して取り組む事業。{SAMPLE}",
                    lead_id=lead.pk,
                    order=number,
                    is_sample=True,
                )
            )
    return rows


def _project_rows(
    plans: list[_Plan], visions: list[Vision], projects: list[Project], rng: random.Random
) -> tuple[list, list, list]:
    """Two participants (the lead and one other member) and one budget per project, and
    two indicators per project."""
    plan_of_vision = {vision.pk: plan for plan, vision in zip(plans, visions, strict=True)}
    participants, budgets, indicators = [], [], []
    for k, project in enumerate(projects):
        plan = plan_of_vision[project.vision_id]
        partners = plan.partners
        if project.lead_id == plan.central.pk:
            other = partners[k % len(partners)].pk
        elif len(partners) > 1:
            index = next(i for i, p in enumerate(partners) if p.pk == project.lead_id)
            other = partners[(index + 1) % len(partners)].pk
        else:
            other = plan.central.pk
        for municipality_id in (project.lead_id, other):
            item = plan.items.get((municipality_id, project.role))
            participants.append(
                ProjectParticipant(
                    project_id=project.pk,
                    municipality_id=municipality_id,
                    agreement_item_id=item.pk if item else None,
                )
            )
        budgets.append(
            ProjectBudget(
                project_id=project.pk,
                municipality_id=project.lead_id,
                fiscal_year=plan.fiscal_year + k % 5,
                amount=Decimal(rng.randint(10, 500) * 100_000),
                is_sample=True,
            )
        )
        baseline_year, target_year = plan.fiscal_year - 2, plan.fiscal_year + 4
        count = Decimal(rng.randint(500, 5_000))
        share = Decimal(rng.randint(30, 60))
        specs = [
            (
                "1",
                "事業の参加者数",
                "人",
                IndicatorKind.COUNT,
                Direction.HIGHER,
                count,
                count * 3 / 2,
            ),
            (
                "2",
                "不便を感じる住民の割合",
                "%",
                IndicatorKind.PERCENTAGE,
                Direction.LOWER,
                share,
                share - 10,
            ),
        ]
        for order, (code, name, unit, kind, direction, baseline, target) in enumerate(specs):
            indicators.append(
                Indicator(
                    project_id=project.pk,
                    code=code,
                    name=name,
                    unit=unit,
                    kind=kind,
                    direction=direction,
                    baseline_value=baseline,
                    baseline_fiscal_year=baseline_year,
                    target_value=target,
                    target_fiscal_year=target_year,
                    order=order,
                    is_sample=True,
                )
            )
    return participants, budgets, indicators


def _yearly_rows(indicators: list[Indicator], rng: random.Random) -> tuple[list, list]:
    """Five yearly targets (strictly between the baseline and target years) and five actual
    values (after the baseline year, up to the target year) per indicator. Each indicator
    moves at its own pace, so that every progress status occurs."""
    targets, actuals = [], []
    for indicator in indicators:
        start, end = indicator.baseline_fiscal_year, indicator.target_fiscal_year
        span = end - start
        change = indicator.target_value - indicator.baseline_value
        pace = Decimal(rng.randint(-30, 130)) / 100
        for year in range(start + 1, start + 6):
            planned = indicator.baseline_value + change * (year - start) / span
            targets.append(
                IndicatorTarget(
                    indicator_id=indicator.pk,
                    fiscal_year=year,
                    value=planned.quantize(Decimal("0.1")),
                    is_sample=True,
                )
            )
        for year in range(end - 4, end + 1):
            reached = indicator.baseline_value + change * pace * (year - start) / span
            reached = max(Decimal(0), reached)
            if indicator.kind == IndicatorKind.PERCENTAGE:
                reached = min(Decimal(100), reached)
            actuals.append(
                IndicatorActual(
                    indicator_id=indicator.pk,
                    fiscal_year=year,
                    value=reached.quantize(Decimal("0.1")),
                    is_sample=True,
                )
            )
    return targets, actuals


def build(
    *,
    areas: int,
    partners: int,
    projects: int,
    big_area_partners: int = 0,
    seed: int = 2016,
    out: Callable[[str], None] = print,
) -> dict[str, int]:
    """Fill an empty, migrated database: `areas` areas of `partners` partners each with
    `projects` projects in their vision, and one more area of `big_area_partners` partners
    when it is above 0. Returns the rows of every domain model that has any."""
    if partners < 1 or projects < 0 or areas < 0 or big_area_partners < 0:
        raise ValueError("Give at least one partner per area, and no negative numbers.")
    if Municipality.objects.exists() or CooperationArea.objects.exists():
        raise RuntimeError("The database is not empty: bench.data fills an empty one only.")
    rng = random.Random(seed)
    plans = _plans(areas, partners, big_area_partners)
    started = time.perf_counter()
    with transaction.atomic():
        _insert(_municipalities(plans, rng), out)
        _insert(_areas(plans), out)
        memberships, ratios = _memberships_and_ratios(plans, rng)
        _insert(memberships, out)
        _insert(ratios, out)
        agreements = _agreements(plans)
        _insert([a for plan in plans for a in agreements[plan.index]], out)
        _insert(_items(plans, agreements), out)
        procedures = _procedures(plans, agreements)
        _insert(procedures, out)
        _insert(_resolutions(plans, agreements, procedures), out)
        visions = _visions(plans)
        _insert(visions, out)
        project_rows = _projects(plans, visions, projects)
        _insert(project_rows, out)
        participants, budgets, indicators = _project_rows(plans, visions, project_rows, rng)
        _insert(participants, out)
        _insert(budgets, out)
        _insert(indicators, out)
        targets, actuals = _yearly_rows(indicators, rng)
        _insert(targets, out)
        _insert(actuals, out)
    out(f"  written in {time.perf_counter() - started:.1f} s")

    started = time.perf_counter()
    ids = list(Agreement.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), STATUS_BATCH):
        stored_status.refresh(ids[start : start + STATUS_BATCH])
    out(f"  stored the status of {len(ids):,} agreements in {time.perf_counter() - started:.1f} s")

    # The planner's statistics, as autovacuum would gather them some time after a bulk load:
    # without them PostgreSQL reads whole tables where an index serves.
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    out(f"  analyzed the tables in {time.perf_counter() - started:.1f} s")
    return row_counts()


def row_counts() -> dict[str, int]:
    """Rows of every model of the domain apps that has any, history tables included."""
    counts = {
        model._meta.label: model._default_manager.count()
        for app_label in ("municipalities", "agreements", "vision")
        for model in apps.get_app_config(app_label).get_models()
    }
    return {label: n for label, n in counts.items() if n}


def check() -> int:
    """Run every rule of the models (`full_clean()`) on every row of the domain apps; returns
    how many rows were checked. For small data: it reads each row's relations one by one."""
    checked = 0
    for app_label in ("municipalities", "agreements", "vision"):
        for model in apps.get_app_config(app_label).get_models():
            if model.__name__.startswith("Historical"):
                continue
            for instance in model._default_manager.order_by("pk").iterator():
                instance.full_clean()
                checked += 1
    return checked


def sample_paths() -> list[tuple[str, str]]:
    """(name, address) of one page of every public kind, from the data in the database: a
    typical area (the middle one), its first project (and its first indicator's chart),
    agreement and central city; and the big area's page when there is one."""
    slugs = list(
        CooperationArea.objects.exclude(slug=BIG_SLUG)
        .order_by("slug")
        .values_list("slug", flat=True)
    )
    if not slugs:
        raise RuntimeError("The database has no benchmark areas: run bench.data first.")
    area = CooperationArea.objects.select_related("central_city").get(slug=slugs[len(slugs) // 2])
    slug = area.slug
    project = Project.objects.filter(vision__area=area).order_by("pk").first()
    agreement = Agreement.objects.filter(area=area).order_by("partner__code").first()
    indicator = project.indicators.order_by("order", "pk").first()
    paths = [
        ("trivial view", "/robots.txt"),
        ("home", "/"),
        ("areas CSV", "/areas.csv"),
        ("areas JSON", "/areas.json"),
        ("procedure guide", "/procedure/"),
        ("area page", f"/areas/{slug}/"),
        ("area record JSON", f"/areas/{slug}.json"),
        ("area feed", f"/areas/{slug}/feed.atom"),
        ("agreements CSV", f"/areas/{slug}/agreements.csv"),
        ("agreements JSON", f"/areas/{slug}/agreements.json"),
        ("vision page", f"/areas/{slug}/vision/"),
        ("projects CSV", f"/areas/{slug}/vision/projects.csv"),
        ("projects JSON", f"/areas/{slug}/vision/projects.json"),
        ("project page", f"/areas/{slug}/vision/projects/{project.pk}/"),
        ("indicator chart", f"/areas/{slug}/vision/indicators/{indicator.pk}/chart.svg"),
        ("agreement page", f"/areas/{slug}/agreements/{agreement.partner.code}/"),
        ("municipality page", f"/municipalities/{area.central_city.code}/"),
        ("area calendar", f"/areas/{slug}/calendar.ics"),
        # Search: a word of two characters (no trigram: PostgreSQL reads the tables), a
        # longer one (the trigram indexes), English, and all the results of one kind.
        ("search, 2 characters", "/search/?" + urlencode({"q": "観光"})),
        ("search, 7 characters", "/search/?" + urlencode({"q": "地域医療の確保"})),
        ("search, English", "/en/search/?q=tourism"),
        ("search, agreements only", "/search/?" + urlencode({"q": "医療", "kind": "agreements"})),
        # The API: lists of the whole country and of an area, filtered, and one record.
        ("API areas", "/api/areas/"),
        ("API municipalities", "/api/municipalities/"),
        ("API agreements in force", "/api/agreements/?status=in_force"),
        ("API agreements modified since", "/api/agreements/?modified_since=2016-01-01"),
        ("API projects of an area", f"/api/projects/?area={slug}"),
        ("API agreement", f"/api/agreements/{slug}/{agreement.partner.code}/"),
        ("API vision", f"/api/visions/{project.vision_id}/"),
        ("API schema", "/api/openapi.json"),
    ]
    if CooperationArea.objects.filter(slug=BIG_SLUG).exists():
        paths.append(("big area page", f"/areas/{BIG_SLUG}/"))
    return paths


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.data", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--areas", type=int, default=40)
    parser.add_argument("--partners", type=int, default=10, help="partners of each area")
    parser.add_argument("--projects", type=int, default=50, help="projects of each vision")
    parser.add_argument("--big-area-partners", type=int, default=0)
    parser.add_argument(
        "--urls",
        action="store_true",
        help="build nothing; print the rows and one address of every public page kind (JSON)",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="build nothing; run full_clean() on every row (for small data)",
    )
    args = parser.parse_args(argv)
    if args.urls:
        print(json.dumps({"paths": sample_paths(), "rows": row_counts()}, ensure_ascii=False))
        return
    if args.check:
        started = time.perf_counter()
        print(f"{check():,} rows pass full_clean() ({time.perf_counter() - started:.1f} s)")
        return
    started = time.perf_counter()
    print(
        f"Building {args.areas} areas × {args.partners} partners, {args.projects} projects"
        + (f", one area of {args.big_area_partners} partners" if args.big_area_partners else "")
    )
    try:
        counts = build(
            areas=args.areas,
            partners=args.partners,
            projects=args.projects,
            big_area_partners=args.big_area_partners,
        )
    except (RuntimeError, ValueError) as error:
        sys.exit(f"bench.data: {error}")
    print(f"Built in {time.perf_counter() - started:.1f} s. Rows:")
    for label, n in counts.items():
        print(f"  {label:40} {n:>9,}")


if __name__ == "__main__":
    main()
