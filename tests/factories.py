"""One factory per model, valid by default; states as traits.

Municipality codes are generated with a correct check digit, so every factory object passes
`full_clean()`. Objects are created with `save()` — tests of the rules go through services.
"""

import datetime
from decimal import Decimal

import factory
from django.apps import apps
from django.contrib.auth import get_user_model
from factory.django import DjangoModelFactory

from agreements.models import (
    CONTENT_KINDS,
    Agreement,
    AgreementItem,
    CouncilResolution,
    Procedure,
    Role,
)
from agreements.status import ProcedureKind, Result
from municipalities.codes import check_digit
from municipalities.models import (
    AreaMembership,
    CommutingRatio,
    CooperationArea,
    Municipality,
    StaffRole,
)
from vision.models import (
    FiscalSupport,
    Indicator,
    IndicatorActual,
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

PROPOSED_ON = datetime.date(2016, 2, 24)
RESOLVED_ON = datetime.date(2016, 3, 18)
EFFECTIVE_ON = datetime.date(2016, 3, 29)


def _code(n: int) -> str:
    # Codes of 長野県 (20) above its real ones (up to 20590): a test's municipalities never
    # take the code of one of the demo's or the registry's, whatever ran before it.
    first_five = f"{20600 + n % 400:05d}"
    return first_five + str(check_digit(first_five))


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("correct horse battery staple")


def clerk(municipality: Municipality, **kwargs):
    """A user who is the clerk of the municipality (the desk's user)."""
    user = UserFactory(**kwargs)
    StaffRole.objects.create(user=user, kind=StaffRole.Kind.CLERK, municipality=municipality)
    return user


class MunicipalityFactory(DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ["code"]

    code = factory.Sequence(_code)
    name = factory.Sequence(lambda n: f"テスト町{n}")
    name_kana = factory.Sequence(lambda n: f"てすとまち{n}")
    kind = Municipality.Kind.TOWN
    prefecture = "長野県"
    population = 10000
    population_census_year = 2020
    population_figure = Municipality.PopulationFigure.FINAL
    area_km2 = Decimal("50.00")

    class Params:
        city = factory.Trait(
            kind=Municipality.Kind.CITY, name=factory.Sequence(lambda n: f"テスト市{n}")
        )


class CooperationAreaFactory(DjangoModelFactory):
    """An area with its central city and declaration, without partners."""

    class Meta:
        model = CooperationArea

    name = factory.Sequence(lambda n: f"テスト連携中枢都市圏{n}")
    slug = factory.Sequence(lambda n: f"area-{n}")
    central_city = factory.SubFactory(MunicipalityFactory, city=True)
    declared_on = datetime.date(2016, 2, 17)
    declaration_text = "圏域全体の経済をけん引し、住民全体の暮らしを支えることを宣言します。"


class AreaMembershipFactory(DjangoModelFactory):
    class Meta:
        model = AreaMembership

    area = factory.SubFactory(CooperationAreaFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    joined_on = EFFECTIVE_ON

    class Params:
        left = factory.Trait(left_on=datetime.date(2020, 3, 31))


class CommutingRatioFactory(DjangoModelFactory):
    class Meta:
        model = CommutingRatio

    area = factory.SubFactory(CooperationAreaFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    ratio = Decimal("0.1500")
    survey_year = 2010
    meets_rule = True
    outside_reason = "北信定住自立圏の構成市町村であるため"

    class Params:
        unknown = factory.Trait(ratio=None, survey_year=None)
        below_rule = factory.Trait(ratio=Decimal("0.0500"), meets_rule=False)


class AgreementFactory(DjangoModelFactory):
    """An agreement with a partner that is a member of the area."""

    class Meta:
        model = Agreement

    area = factory.SubFactory(CooperationAreaFactory)
    partner = factory.LazyAttribute(lambda o: AreaMembershipFactory(area=o.area).municipality)
    title = factory.LazyAttribute(lambda o: f"連携協約（{o.area.central_city}・{o.partner}）")
    basic_policy = "互いの強みを活かし、弱みを補い合う。"
    is_public = True

    class Params:
        internal = factory.Trait(is_public=False)


class AgreementItemFactory(DjangoModelFactory):
    class Meta:
        model = AgreementItem

    agreement = factory.SubFactory(AgreementFactory)
    role = Role.LIVING_SERVICES
    field = "雇用"
    title = factory.Sequence(lambda n: f"連携事業{n}")
    central_city_part = "事業を運営する。"
    partner_part = "情報を提供する。"


class ProcedureFactory(DjangoModelFactory):
    """A conclusion submitted to both councils (no resolution yet)."""

    class Meta:
        model = Procedure

    agreement = factory.SubFactory(AgreementFactory)
    kind = ProcedureKind.CONCLUSION
    summary = "連携協約の締結"
    proposed_text = "第1条 目的"
    proposed_on = PROPOSED_ON
    # As the services do: a submitted conclusion or amendment keeps the content before the
    # councils.
    content = factory.LazyAttribute(
        lambda o: o.agreement.content_of() if o.proposed_on and o.kind in CONTENT_KINDS else None
    )

    class Params:
        drafting = factory.Trait(proposed_on=None)
        amendment = factory.Trait(kind=ProcedureKind.AMENDMENT, summary="連携協約の変更")
        abolition = factory.Trait(kind=ProcedureKind.ABOLITION, summary="連携協約の廃止")


class CouncilResolutionFactory(DjangoModelFactory):
    """A pass by the partner's council."""

    class Meta:
        model = CouncilResolution

    procedure = factory.SubFactory(ProcedureFactory)
    municipality = factory.LazyAttribute(lambda o: o.procedure.agreement.partner)
    session = "平成28年3月定例会"
    bill_number = factory.Sequence(lambda n: f"議案第{n + 1}号")
    resolved_on = RESOLVED_ON
    result = Result.PASSED

    class Params:
        by_central_city = factory.Trait(
            municipality=factory.LazyAttribute(lambda o: o.procedure.agreement.area.central_city)
        )
        rejected = factory.Trait(result=Result.REJECTED)


def agreement_in_force(agreement: Agreement | None = None, **kwargs) -> Agreement:
    """An agreement whose conclusion both councils passed and which took effect (the given
    draft, with the items it has, or a new one)."""
    agreement = agreement or AgreementFactory(**kwargs)
    procedure = ProcedureFactory(agreement=agreement)
    CouncilResolutionFactory(procedure=procedure, by_central_city=True)
    CouncilResolutionFactory(procedure=procedure)
    procedure.effective_on = EFFECTIVE_ON
    procedure.save()
    return agreement


class VisionFactory(DjangoModelFactory):
    class Meta:
        model = Vision

    area = factory.SubFactory(CooperationAreaFactory)
    title = factory.Sequence(lambda n: f"テストビジョン{n}")
    first_fiscal_year = 2016
    last_fiscal_year = 2020
    status = Vision.Status.DRAFT

    class Params:
        adopted = factory.Trait(status=Vision.Status.ADOPTED, adopted_on=EFFECTIVE_ON)


class ProjectFactory(DjangoModelFactory):
    class Meta:
        model = Project

    vision = factory.SubFactory(VisionFactory)
    code = factory.Sequence(lambda n: f"ア-{n:03d}")
    role = Role.ECONOMY
    field = ProjectField.TOURISM
    title = factory.Sequence(lambda n: f"テスト事業{n}")
    lead = factory.LazyAttribute(lambda o: o.vision.area.central_city)


def covering_item(project: Project, municipality: Municipality) -> AgreementItem | None:
    """An item of the partner's agreement under the project's role (None for the central
    city), creating the agreement if the partner has none yet."""
    area = project.vision.area
    if municipality.pk == area.central_city_id:
        return None
    agreement = Agreement.objects.filter(area=area, partner=municipality).first()
    if agreement is None:
        agreement = AgreementFactory(area=area, partner=municipality)
    return AgreementItemFactory(agreement=agreement, role=project.role)


class ProjectParticipantFactory(DjangoModelFactory):
    class Meta:
        model = ProjectParticipant

    project = factory.SubFactory(ProjectFactory)
    municipality = factory.LazyAttribute(
        lambda o: AreaMembershipFactory(area=o.project.vision.area).municipality
    )
    agreement_item = factory.LazyAttribute(lambda o: covering_item(o.project, o.municipality))


class IndicatorFactory(DjangoModelFactory):
    class Meta:
        model = Indicator

    project = factory.SubFactory(ProjectFactory)
    code = factory.Sequence(lambda n: str(n + 1))
    name = factory.Sequence(lambda n: f"テスト指標{n}")
    unit = "人"
    baseline_value = Decimal("100")
    baseline_fiscal_year = 2014
    target_value = Decimal("200")
    target_fiscal_year = 2020


class IndicatorActualFactory(DjangoModelFactory):
    class Meta:
        model = IndicatorActual

    indicator = factory.SubFactory(IndicatorFactory)
    fiscal_year = factory.Sequence(lambda n: 2016 + n % 5)
    value = Decimal("150")


class IndicatorTargetFactory(DjangoModelFactory):
    class Meta:
        model = IndicatorTarget

    indicator = factory.SubFactory(IndicatorFactory)
    fiscal_year = 2017
    value = Decimal("130")


class ProjectBudgetFactory(DjangoModelFactory):
    class Meta:
        model = ProjectBudget

    project = factory.SubFactory(ProjectFactory)
    municipality = factory.LazyAttribute(lambda o: o.project.lead)
    fiscal_year = 2017
    amount = Decimal("1000000")


class RoundtableMemberFactory(DjangoModelFactory):
    class Meta:
        model = RoundtableMember

    vision = factory.SubFactory(VisionFactory)
    name = factory.Sequence(lambda n: f"委員{n}")
    sector = Sector.INDUSTRY
    affiliation = "商工会議所 会頭"


class RoundtableMeetingFactory(DjangoModelFactory):
    class Meta:
        model = RoundtableMeeting

    vision = factory.SubFactory(VisionFactory)
    held_on = datetime.date(2015, 11, 20)
    agenda = "ビジョン骨子について"
    minutes_url = "https://www.example.jp/minutes/1.pdf"


class PublicCommentFactory(DjangoModelFactory):
    class Meta:
        model = PublicComment

    vision = factory.SubFactory(VisionFactory)
    number = factory.Sequence(lambda n: n + 1)
    summary = "公共交通の充実を望む。"
    response = "ビジョンに盛り込みます。"


class FiscalSupportFactory(DjangoModelFactory):
    class Meta:
        model = FiscalSupport

    area = factory.SubFactory(CooperationAreaFactory)
    municipality = factory.LazyAttribute(lambda o: AreaMembershipFactory(area=o.area).municipality)
    fiscal_year = 2017
    special_amount = Decimal("10000000")
    ordinary_amount = Decimal("0")


DOMAIN_APPS = ("municipalities", "agreements", "vision")


def row_counts() -> dict[str, int]:
    """Rows of every model of the domain apps, historical models included."""
    return {
        model._meta.label: model._default_manager.count()
        for app_label in DOMAIN_APPS
        for model in apps.get_app_config(app_label).get_models()
    }


def loaded_token(client, url: str) -> dict:
    """The edit token of the form at `url`, as the page gives it to whoever opens it: a save
    posts it back (see municipalities.concurrency)."""
    return {"edit_token": client.get(url).context["form"].edit_token}
