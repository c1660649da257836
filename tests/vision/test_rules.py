"""The rules of the vision a user runs into: who may join a project, the allocation tax cap,
when public comments are published, revisions, budgets and indicators."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.html import escape

from agreements.models import Role
from agreements.status import AgreementStatus
from municipalities.fixed import ERROR_FIXED
from municipalities.templatetags.jpdates import fiscal_year_html
from tests import factories
from vision.models import (
    ERROR_BUDGETS_OUTSIDE,
    ERROR_COMMENT_PERIOD,
    ERROR_FIELD_ROLE,
    ERROR_KIND_VALUES,
    ERROR_MINUTES,
    ERROR_NOT_A_MEMBER,
    ERROR_PREVIOUS_OTHER_AREA,
    ERROR_PREVIOUS_SELF,
    ERROR_ROLE_LEAVES_PARTICIPANTS,
    ERROR_TARGETS_OUTSIDE,
    ERROR_VALUE_NEGATIVE,
    ERROR_VALUE_PERCENTAGE,
    AllocationTaxRule,
    FiscalSupport,
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
    Vision,
)
from vision.progress import Direction
from vision.services import (
    budget_save,
    comment_save,
    indicator_save,
    participant_save,
    project_save,
    support_save,
    target_save,
    vision_revise,
    vision_save,
)

pytestmark = pytest.mark.django_db

REVISION_ADOPTED_ON = datetime.date(2021, 3, 25)


def _refused(service, **kwargs) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        service(**kwargs)
    return caught.value.message_dict


def _partner(area):
    return factories.AreaMembershipFactory(area=area).municipality


def _vision_page(client, area, pk=None) -> str:
    url = f"/areas/{area.slug}/vision/" + (f"{pk}/" if pk else "")
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _section(page: str, heading_id: str) -> str:
    """The <section> of the page headed by the heading `heading_id`."""
    return re.search(
        rf'<section[^>]*>\s*<h2 id="{heading_id}".*?</section>', page, re.DOTALL
    ).group(0)


# ---------------------------------------------------------------------------------------------
# 1. Participants: a partner through an item of its own agreement, the central city without
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def project(area):
    """A role ウ project of a draft vision of the area, led by the central city."""
    return factories.ProjectFactory(
        vision__area=area, role=Role.LIVING_SERVICES, field=ProjectField.WELFARE
    )


def _join(project, municipality, item) -> ProjectParticipant:
    return ProjectParticipant(project=project, municipality=municipality, agreement_item=item)


def _refused_to_join(project, municipality, item) -> dict[str, list[str]]:
    before = ProjectParticipant.objects.count()
    errors = _refused(participant_save, participant=_join(project, municipality, item), user=None)
    assert ProjectParticipant.objects.count() == before
    return errors


def test_partner_joins_through_an_item_of_its_agreement_in_force(area, project, staff_user):
    partner = _partner(area)
    agreement = factories.agreement_in_force(area=area, partner=partner)
    item = factories.AgreementItemFactory(agreement=agreement, role=Role.LIVING_SERVICES)

    participant_save(participant=_join(project, partner, item), user=staff_user, reason="参加")

    assert ProjectParticipant.objects.get().agreement_item == item
    assert list(project.participants.all()) == [partner]


def test_partner_without_an_item_is_refused(area, project):
    partner = _partner(area)
    factories.agreement_in_force(area=area, partner=partner)

    errors = _refused_to_join(project, partner, None)

    assert errors == {
        "agreement_item": [
            f"{partner.name}は連携協約の連携事項を通じてのみ参加できます。"
            "この取組を含む連携事項を選んでください。"
        ]
    }


def test_partner_with_an_item_of_another_partners_agreement_is_refused(area, project):
    partner, other = _partner(area), _partner(area)
    factories.agreement_in_force(area=area, partner=partner)
    others_item = factories.AgreementItemFactory(
        agreement=factories.agreement_in_force(area=area, partner=other),
        role=Role.LIVING_SERVICES,
    )

    errors = _refused_to_join(project, partner, others_item)

    message = (
        f"連携事項「{others_item.title}」は、{area.name}における{partner.name}との"
        "連携協約のものではありません。"
    )
    assert errors == {"agreement_item": [message]}


def test_partner_with_an_item_of_its_agreement_in_another_area_is_refused(area, project):
    partner = _partner(area)
    elsewhere = factories.CooperationAreaFactory()
    factories.AreaMembershipFactory(area=elsewhere, municipality=partner)
    item = factories.AgreementItemFactory(
        agreement=factories.agreement_in_force(area=elsewhere, partner=partner),
        role=Role.LIVING_SERVICES,
    )

    errors = _refused_to_join(project, partner, item)

    message = (
        f"連携事項「{item.title}」は、{area.name}における{partner.name}との"
        "連携協約のものではありません。"
    )
    assert errors == {"agreement_item": [message]}


def test_partner_with_an_item_under_another_role_is_refused(area, project):
    partner = _partner(area)
    item = factories.AgreementItemFactory(
        agreement=factories.agreement_in_force(area=area, partner=partner), role=Role.ECONOMY
    )

    errors = _refused_to_join(project, partner, item)

    message = (
        f"連携事項「{item.title}」は役割ア、この取組は役割ウです。"
        f"{partner.name}の連携協約はこの取組を含んでいません。"
    )
    assert errors == {"agreement_item": [message]}


def _abolished(agreement):
    abolition = factories.ProcedureFactory(
        agreement=agreement, abolition=True, proposed_on=datetime.date(2019, 2, 20)
    )
    on = datetime.date(2019, 3, 15)
    factories.CouncilResolutionFactory(procedure=abolition, by_central_city=True, resolved_on=on)
    factories.CouncilResolutionFactory(procedure=abolition, resolved_on=on)
    abolition.effective_on = datetime.date(2019, 4, 1)
    abolition.save()


def _rejected(agreement):
    procedure = factories.ProcedureFactory(agreement=agreement)
    factories.CouncilResolutionFactory(procedure=procedure, by_central_city=True)
    factories.CouncilResolutionFactory(procedure=procedure, rejected=True)


def _dropped(agreement):
    factories.ProcedureFactory(agreement=agreement, dropped_on=datetime.date(2016, 3, 1))


@pytest.mark.parametrize(
    ("end", "status", "label"),
    [
        (_abolished, AgreementStatus.ABOLISHED, "廃止"),
        (_rejected, AgreementStatus.REJECTED, "否決"),
        (_dropped, AgreementStatus.WITHDRAWN, "締結取りやめ"),
    ],
    ids=["abolished", "rejected", "withdrawn"],
)
def test_partner_whose_agreement_has_ended_is_refused(area, project, end, status, label):
    partner = _partner(area)
    if status == AgreementStatus.ABOLISHED:
        agreement = factories.agreement_in_force(area=area, partner=partner)
    else:
        agreement = factories.AgreementFactory(area=area, partner=partner)
    item = factories.AgreementItemFactory(agreement=agreement, role=Role.LIVING_SERVICES)
    end(agreement)
    assert agreement.status() == status

    errors = _refused_to_join(project, partner, item)

    message = f"{partner.name}との連携協約は終了しています（{label}）。取組の根拠にはなりません。"
    assert errors == {"agreement_item": [message]}


def test_central_city_joins_without_an_item(area, project):
    participant_save(participant=_join(project, area.central_city, None), user=None)

    assert list(project.participants.all()) == [area.central_city]


def test_central_city_with_an_item_is_refused(area, project):
    item = factories.AgreementItemFactory(
        agreement=factories.agreement_in_force(area=area, partner=_partner(area)),
        role=Role.LIVING_SERVICES,
    )

    errors = _refused_to_join(project, area.central_city, item)

    assert errors == {
        "agreement_item": [
            "連携中枢都市はすべての連携協約の当事者なので、連携事項を選ばずに参加します。"
        ]
    }


# ---------------------------------------------------------------------------------------------
# 2. Allocation tax: a partner's special allocation tax is capped at ¥15m a year (seed Q5)
# ---------------------------------------------------------------------------------------------


def _support(area, municipality, special="0", ordinary="0", year=2017) -> FiscalSupport:
    return FiscalSupport(
        area=area,
        municipality=municipality,
        fiscal_year=year,
        special_amount=Decimal(special),
        ordinary_amount=Decimal(ordinary),
    )


def _over_the_cap(partner, year=2017, cap="15,000,000", amount="15,000,001") -> str:
    source = AllocationTaxRule.for_fiscal_year(year).source
    return (
        f"{year}年度の連携市町村の特別交付税は1年度{cap}円が上限です（{source}）。"
        f"{partner.name}の{amount}円は上限を超えています。"
    )


def test_partner_special_tax_of_exactly_the_cap_is_accepted(area, staff_user):
    partner = _partner(area)

    support_save(support=_support(area, partner, special="15000000"), user=staff_user)

    assert FiscalSupport.objects.get().special_amount == Decimal("15000000")


def test_partner_special_tax_over_the_cap_is_refused_naming_who_when_and_how_much(area):
    partner = _partner(area)

    errors = _refused(support_save, support=_support(area, partner, special="15000001"), user=None)

    assert errors == {"special_amount": [_over_the_cap(partner)]}
    assert not FiscalSupport.objects.exists()


def test_the_cap_is_the_rule_in_force_for_the_fiscal_year(area):
    partner = _partner(area)
    first = AllocationTaxRule.for_fiscal_year(2017)
    assert (first.from_fiscal_year, first.partner_special_cap) == (2015, Decimal("15000000"))
    assert "1,500万円" in first.source  # the figure says where it comes from
    AllocationTaxRule.objects.create(
        from_fiscal_year=2030, partner_special_cap=Decimal("20000000"), source="架空の改正通知"
    )

    support_save(support=_support(area, partner, special="18000000", year=2030), user=None)
    errors = _refused(
        support_save, support=_support(area, partner, special="18000000", year=2029), user=None
    )

    assert errors == {"special_amount": [_over_the_cap(partner, 2029, amount="18,000,000")]}
    # Before the first rule, no cap is known: nothing is refused.
    support_save(support=_support(area, partner, special="18000000", year=2014), user=None)


def test_central_city_may_receive_more_than_the_partner_cap(area):
    support_save(
        support=_support(area, area.central_city, special="120000000", ordinary="300000000"),
        user=None,
    )

    support = FiscalSupport.objects.get()
    assert (support.special_amount, support.ordinary_amount) == (
        Decimal("120000000"),
        Decimal("300000000"),
    )


def test_partner_ordinary_tax_is_refused(area):
    partner = _partner(area)

    errors = _refused(support_save, support=_support(area, partner, ordinary="1"), user=None)

    assert errors == {
        "ordinary_amount": [
            "連携中枢都市圏の普通交付税は連携中枢都市だけに措置されます。"
            "連携市町村には特別交付税が措置されます。"
        ]
    }
    assert not FiscalSupport.objects.exists()


def test_one_allocation_tax_record_per_municipality_and_year(area):
    partner = _partner(area)
    support_save(support=_support(area, partner, special="10000000"), user=None)
    support_save(support=_support(area, partner, special="10000000", year=2018), user=None)

    errors = _refused(support_save, support=_support(area, partner, special="1"), user=None)

    assert errors == {
        "__all__": [
            "この市町村のその年度の交付税措置はすでに記録されています。その記録を修正してください。"
        ]
    }
    assert FiscalSupport.objects.count() == 2


def test_admin_add_form_shows_the_cap_and_saves_nothing(admin_client, area):
    partner = _partner(area)
    data = {
        "area": str(area.pk),
        "municipality": str(partner.pk),
        "fiscal_year": "2017",
        "special_amount": "15000001",
        "ordinary_amount": "0",
        "note": "",
    }

    response = admin_client.post("/admin/vision/fiscalsupport/add/", data)

    assert response.status_code == 200
    message = _over_the_cap(partner)
    assert response.context["adminform"].form.errors == {"special_amount": [message]}
    assert escape(message) in response.content.decode()
    assert not FiscalSupport.objects.exists()
    assert not FiscalSupport.history.exists()


# ---------------------------------------------------------------------------------------------
# 3. Public comment: published only after its period has ended
# ---------------------------------------------------------------------------------------------

SUMMARY = "バス路線の維持を求める意見"
RESPONSE = "路線バスへの支援を事業に加えます。"
CHANGE = "ウ-05 地域公共交通の維持を追加"


def _vision_with_comment(area, ends_on) -> Vision:
    vision = factories.VisionFactory(
        area=area,
        adopted=True,
        comment_starts_on=ends_on - datetime.timedelta(days=30),
        comment_ends_on=ends_on,
    )
    factories.PublicCommentFactory(
        vision=vision, summary=SUMMARY, response=RESPONSE, draft_changed=True, change_made=CHANGE
    )
    return vision


@pytest.mark.parametrize("days", [0, 1], ids=["ends-today", "ends-tomorrow"])
def test_public_comments_are_hidden_until_the_period_has_ended(client, area, days):
    _vision_with_comment(area, timezone.localdate() + datetime.timedelta(days=days))

    page = _vision_page(client, area)

    comment = _section(page, "comment-h")
    assert SUMMARY not in page
    assert RESPONSE not in page
    assert CHANGE not in page
    assert 'class="comments"' not in comment


def test_public_comments_are_shown_once_the_period_has_ended(client, area):
    _vision_with_comment(area, timezone.localdate() - datetime.timedelta(days=1))

    comment = _section(_vision_page(client, area), "comment-h")

    assert SUMMARY in comment
    assert RESPONSE in comment
    assert CHANGE in comment


def test_comment_that_changed_the_draft_must_say_how():
    vision = factories.VisionFactory()
    comment = PublicComment(vision=vision, number=1, summary="意見", response="考え方")
    comment.draft_changed = True

    errors = _refused(comment_save, comment=comment, user=None)

    assert errors == {"change_made": ["案をどのように修正したかを入力してください。"]}
    assert not PublicComment.objects.exists()


def test_comment_that_did_not_change_the_draft_says_no_change():
    vision = factories.VisionFactory()
    comment = PublicComment(
        vision=vision, number=1, summary="意見", response="考え方", change_made="第3章を修正"
    )

    errors = _refused(comment_save, comment=comment, user=None)

    assert errors == {"change_made": ["案を修正していない場合は、修正内容を空欄にしてください。"]}
    assert not PublicComment.objects.exists()


def test_comment_period_needs_its_last_day(area):
    vision = Vision(
        area=area,
        title="ビジョン案",
        first_fiscal_year=2016,
        last_fiscal_year=2020,
        comment_starts_on=datetime.date(2016, 1, 5),
    )

    errors = _refused(vision_save, vision=vision, user=None)

    assert errors == {
        "comment_ends_on": [
            "パブリックコメントの実施期間は、開始日と終了日の両方を入力してください。"
        ]
    }
    assert not Vision.objects.exists()


def test_comment_period_cannot_end_before_it_starts(area):
    vision = Vision(
        area=area,
        title="ビジョン案",
        first_fiscal_year=2016,
        last_fiscal_year=2020,
        comment_starts_on=datetime.date(2016, 1, 5),
        comment_ends_on=datetime.date(2016, 1, 4),
    )

    errors = _refused(vision_save, vision=vision, user=None)

    assert errors == {
        "comment_ends_on": ["パブリックコメントの終了日を開始日より前にすることはできません。"]
    }
    assert not Vision.objects.exists()


# ---------------------------------------------------------------------------------------------
# 4. Revisions
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def adopted(area):
    """An adopted vision (FY2016–2020): a kept project with a partner, an indicator with a
    yearly target and an actual value, and budgets; and a project the revision drops."""
    vision = factories.VisionFactory(area=area, adopted=True, title="第1期ビジョン")
    kept = factories.ProjectFactory(
        vision=vision, code="ア-01", title="観光客誘致事業", role=Role.ECONOMY
    )
    factories.ProjectParticipantFactory(project=kept)
    indicator = factories.IndicatorFactory(
        project=kept, code="1", name="観光入込客数", target_value=Decimal("200")
    )
    factories.IndicatorTargetFactory(indicator=indicator, fiscal_year=2017, value=Decimal("130"))
    factories.IndicatorActualFactory(indicator=indicator, fiscal_year=2016, value=Decimal("120"))
    factories.ProjectBudgetFactory(project=kept, fiscal_year=2017, amount=Decimal("1000000"))
    factories.ProjectBudgetFactory(project=kept, fiscal_year=2020, amount=Decimal("2000000"))
    factories.ProjectFactory(
        vision=vision,
        code="ウ-09",
        title="空き家バンク運営事業",
        role=Role.LIVING_SERVICES,
        field=ProjectField.MIGRATION,
    )
    return vision


def _revise(previous, user=None, **kwargs) -> Vision:
    values = {
        "title": "第2期ビジョン",
        "first_fiscal_year": 2020,
        "last_fiscal_year": 2024,
        "revision_reason": "計画期間の満了",
    }
    return vision_revise(previous=previous, user=user, **(values | kwargs))


def _snapshot(vision: Vision) -> tuple:
    projects = Project.objects.filter(vision=vision)
    return (
        Vision.objects.filter(pk=vision.pk).values_list("status", "title").get(),
        sorted(projects.values_list("code", "title", "lead_id")),
        sorted(
            ProjectParticipant.objects.filter(project__in=projects).values_list(
                "project__code", "municipality_id", "agreement_item_id"
            )
        ),
        sorted(
            Indicator.objects.filter(project__in=projects).values_list(
                "project__code", "code", "name", "target_value", "target_fiscal_year"
            )
        ),
        sorted(
            IndicatorTarget.objects.filter(indicator__project__in=projects).values_list(
                "indicator__code", "fiscal_year", "value"
            )
        ),
        sorted(
            IndicatorActual.objects.filter(indicator__project__in=projects).values_list(
                "indicator__code", "fiscal_year", "value"
            )
        ),
    )


def test_revision_is_a_draft_with_a_copy_of_projects_participants_and_indicators(
    adopted, staff_user
):
    before = _snapshot(adopted)

    revision = _revise(adopted, user=staff_user)

    assert revision.status == Vision.Status.DRAFT
    assert (revision.previous, revision.revision_reason) == (adopted, "計画期間の満了")
    copied = _snapshot(revision)
    assert copied[1:] == before[1:]
    # Copies, not the same rows moved over.
    assert not set(revision.projects.values_list("pk", flat=True)) & set(
        adopted.projects.values_list("pk", flat=True)
    )
    assert _snapshot(adopted) == before
    assert Vision.objects.get(pk=adopted.pk).status == Vision.Status.ADOPTED


def test_revision_copies_only_the_budgets_within_its_period(adopted):
    revision = _revise(adopted, first_fiscal_year=2020, last_fiscal_year=2024)

    copied = ProjectBudget.objects.filter(project__vision=revision)
    assert list(copied.values_list("project__code", "fiscal_year", "amount")) == [
        ("ア-01", 2020, Decimal("2000000"))
    ]
    assert ProjectBudget.objects.filter(project__vision=adopted).count() == 2


@pytest.mark.parametrize("reason", ["", "   "], ids=["empty", "blank"])
def test_revision_without_a_reason_is_refused(adopted, reason):
    errors = _refused(_revise, previous=adopted, revision_reason=reason)

    assert errors == {"revision_reason": ["改定には改定の理由が必要です。"]}
    assert list(Vision.objects.all()) == [adopted]
    assert Project.objects.count() == 2


def test_adopting_the_revision_supersedes_the_previous_version(adopted, staff_user):
    revision = _revise(adopted)
    revision.status, revision.adopted_on = Vision.Status.ADOPTED, REVISION_ADOPTED_ON

    vision_save(vision=revision, user=staff_user, reason="第2期ビジョンの策定")

    statuses = dict(Vision.objects.values_list("pk", "status"))
    assert statuses == {
        adopted.pk: Vision.Status.SUPERSEDED,
        revision.pk: Vision.Status.ADOPTED,
    }
    adopted.refresh_from_db()
    assert adopted.adopted_on == factories.EFFECTIVE_ON


def test_refused_adoption_of_the_revision_keeps_the_previous_version_adopted(adopted):
    revision = _revise(adopted)
    revision.status = Vision.Status.ADOPTED  # without its adoption date

    errors = _refused(vision_save, vision=revision, user=None)

    assert errors == {"adopted_on": ["策定済み・改定済みのビジョンには策定日が必要です。"]}
    statuses = dict(Vision.objects.values_list("pk", "status"))
    assert statuses == {adopted.pk: Vision.Status.ADOPTED, revision.pk: Vision.Status.DRAFT}
    assert not adopted.history.filter(status=Vision.Status.SUPERSEDED).exists()


@pytest.fixture
def revised(area, adopted):
    """The revision adopted: it adds イ-01, drops ウ-09 and raises the target of ア-01-1."""
    revision = _revise(adopted)
    project_save(
        project=Project(
            vision=revision,
            code="イ-01",
            role=Role.URBAN_FUNCTIONS,
            field=ProjectField.HIGHER_EDUCATION,
            title="大学連携講座事業",
            lead=area.central_city,
        ),
        user=None,
    )
    revision.projects.get(code="ウ-09").delete()  # a draft's project may still be deleted
    indicator = Indicator.objects.get(project__vision=revision, code="1")
    indicator.target_value = Decimal("250")
    indicator_save(indicator=indicator, user=None)
    revision.status, revision.adopted_on = Vision.Status.ADOPTED, REVISION_ADOPTED_ON
    vision_save(vision=revision, user=None)
    return revision


def test_vision_page_shows_the_revision_and_links_the_earlier_version(
    client, area, adopted, revised
):
    page = _vision_page(client, area)

    assert f"<h1>{revised.title}</h1>" in page
    earlier_url = f"/areas/{area.slug}/vision/{adopted.pk}/"
    versions = _section(page, "versions-h")
    assert f'<a href="{earlier_url}">{adopted.title}</a>' in versions
    assert f'<span aria-current="page">{revised.title}</span>' in versions
    assert _vision_page(client, area, adopted.pk).count(f"<h1>{adopted.title}</h1>") == 1


def test_vision_page_lists_what_the_revision_changed(client, area, revised):
    changes = _section(_vision_page(client, area), "changes-h")

    assert "この改定で変わったこと" in changes
    added_h, removed_h, retargeted_h = "追加した取組", "廃止した取組", "目標を見直した成果指標"
    added = changes[changes.index(added_h) : changes.index(removed_h)]
    removed = changes[changes.index(removed_h) : changes.index(retargeted_h)]
    retargeted = changes[changes.index(retargeted_h) :]
    assert "イ-01 大学連携講座事業" in added
    assert "ウ-09" not in added and "ア-01" not in added
    assert "ウ-09 空き家バンク運営事業" in removed
    assert "イ-01" not in removed and "ア-01" not in removed
    assert "ア-01-1 観光入込客数" in retargeted
    before, now = re.search(r"</th><td>(.*?)</td><td>(.*?)</td>", retargeted).groups()
    assert before.startswith("200 人") and now.startswith("250 人")
    assert "イ-01" not in retargeted and "ウ-09" not in retargeted


# ---------------------------------------------------------------------------------------------
# 5. Budgets
# ---------------------------------------------------------------------------------------------


def _budget(project, municipality, year=2017, amount="1000000") -> ProjectBudget:
    return ProjectBudget(
        project=project, municipality=municipality, fiscal_year=year, amount=Decimal(amount)
    )


def test_budget_of_the_lead_and_of_a_participant_is_accepted(area, project):
    partner = factories.ProjectParticipantFactory(project=project).municipality

    budget_save(budget=_budget(project, area.central_city), user=None)
    budget_save(budget=_budget(project, partner, amount="250000"), user=None)

    assert ProjectBudget.objects.count() == 2


def test_budget_of_a_municipality_that_does_not_take_part_is_refused(area, project):
    bystander = _partner(area)

    errors = _refused(budget_save, budget=_budget(project, bystander), user=None)

    message = (
        f"{bystander.name}はこの取組の主担当でも参加市町村でもありません。"
        "先に参加市町村として追加してください。"
    )
    assert errors == {"municipality": [message]}
    assert not ProjectBudget.objects.exists()


@pytest.mark.parametrize("year", [2016, 2020])
def test_budget_in_the_first_or_last_year_of_the_vision_is_accepted(area, project, year):
    budget_save(budget=_budget(project, area.central_city, year=year), user=None)

    assert ProjectBudget.objects.get().fiscal_year == year


@pytest.mark.parametrize("year", [2015, 2021])
def test_budget_outside_the_vision_period_is_refused(area, project, year):
    errors = _refused(budget_save, budget=_budget(project, area.central_city, year=year), user=None)

    message = f"{year}年度はビジョンの計画期間（2016〜2020年度）の外です。"
    assert errors == {"fiscal_year": [message]}
    assert not ProjectBudget.objects.exists()


def test_vision_page_shows_the_yearly_total_with_thousands_separators(client, area):
    vision = factories.VisionFactory(area=area, adopted=True)
    economy = factories.ProjectFactory(vision=vision, role=Role.ECONOMY)
    living = factories.ProjectFactory(
        vision=vision, role=Role.LIVING_SERVICES, field=ProjectField.CARE
    )
    partner = factories.ProjectParticipantFactory(project=living).municipality
    budget_save(budget=_budget(economy, area.central_city, amount="1000000"), user=None)
    budget_save(budget=_budget(living, partner, amount="250000"), user=None)
    budget_save(budget=_budget(living, area.central_city, year=2018, amount="3000"), user=None)

    page = _vision_page(client, area)

    table = re.search(r'<table class="role-counts budget-table[^"]*".*?</table>', page, re.DOTALL)
    rows = re.findall(r'<th scope="row">(.*?)</th>.*?<strong>(.*?)</strong>', table.group(0))
    assert rows == [(fiscal_year_html(2017), "1,250,000"), (fiscal_year_html(2018), "3,000")]


# ---------------------------------------------------------------------------------------------
# 6. Indicators and projects
# ---------------------------------------------------------------------------------------------


def _indicator(project, **kwargs) -> Indicator:
    values = {
        "code": "1",
        "name": "ごみ排出量",
        "unit": "t",
        "baseline_value": Decimal("100"),
        "baseline_fiscal_year": 2014,
        "target_value": Decimal("100"),
        "target_fiscal_year": 2020,
    }
    return Indicator(project=project, **(values | kwargs))


@pytest.mark.parametrize(
    ("direction", "target"),
    [
        (Direction.HIGHER, "100"),
        (Direction.HIGHER, "150"),
        (Direction.LOWER, "100"),
        (Direction.LOWER, "80"),
    ],
)
def test_indicator_target_in_its_direction_is_accepted(project, direction, target):
    indicator_save(
        indicator=_indicator(project, direction=direction, target_value=Decimal(target)),
        user=None,
    )

    assert Indicator.objects.count() == 1


@pytest.mark.parametrize(
    ("direction", "target", "message"),
    [
        (
            Direction.HIGHER,
            "99.9",
            "「高いほど良い」指標の目標値は基準値より低くできません"
            "（「低いほど良い」を選ぶこともできます）。",
        ),
        (
            Direction.LOWER,
            "100.1",
            "「低いほど良い」指標の目標値は基準値より高くできません"
            "（「高いほど良い」を選ぶこともできます）。",
        ),
    ],
    ids=["higher-below-baseline", "lower-above-baseline"],
)
def test_indicator_target_against_its_direction_is_refused(project, direction, target, message):
    indicator = _indicator(project, direction=direction, target_value=Decimal(target))

    errors = _refused(indicator_save, indicator=indicator, user=None)

    assert errors == {"direction": [message]}
    assert not Indicator.objects.exists()


def test_yearly_target_between_baseline_and_target_year_is_accepted():
    indicator = factories.IndicatorFactory(baseline_fiscal_year=2014, target_fiscal_year=2020)

    for year in (2015, 2019):
        target_save(
            target=IndicatorTarget(indicator=indicator, fiscal_year=year, value=Decimal("150")),
            user=None,
        )

    assert list(indicator.targets.values_list("fiscal_year", flat=True)) == [2015, 2019]


@pytest.mark.parametrize("year", [2013, 2014, 2020, 2021])
def test_yearly_target_outside_baseline_and_target_year_is_refused(year):
    indicator = factories.IndicatorFactory(baseline_fiscal_year=2014, target_fiscal_year=2020)
    target = IndicatorTarget(indicator=indicator, fiscal_year=year, value=Decimal("150"))

    errors = _refused(target_save, target=target, user=None)

    message = (
        "年度別目標は、基準年度（2014）より後で目標年度（2020）より前の年度に設定してください。"
    )
    assert errors == {"fiscal_year": [message]}
    assert not IndicatorTarget.objects.exists()


def test_indicator_number_is_unique_within_its_project(project):
    factories.IndicatorFactory(project=project, code="1")
    other_project = factories.ProjectFactory(vision=project.vision)

    errors = _refused(indicator_save, indicator=_indicator(project, code="1"), user=None)
    indicator_save(indicator=_indicator(other_project, code="1"), user=None)

    assert errors == {"code": ["この取組には指標番号1の成果指標がすでにあります。"]}
    assert Indicator.objects.filter(project=project).count() == 1
    assert Indicator.objects.filter(project=other_project).count() == 1


def _project(vision, **kwargs) -> Project:
    values = {
        "code": "ウ-01",
        "role": Role.LIVING_SERVICES,
        "field": ProjectField.CARE,
        "title": "介護人材の確保",
        "lead": vision.area.central_city,
    }
    return Project(vision=vision, **(values | kwargs))


def test_project_number_is_unique_within_its_vision(area):
    vision = factories.VisionFactory(area=area)
    other_vision = factories.VisionFactory(area=area)
    project_save(project=_project(vision), user=None)

    errors = _refused(project_save, project=_project(vision, title="別の事業"), user=None)
    project_save(project=_project(other_vision), user=None)

    assert errors == {"code": ["このビジョンには事業番号ウ-01の取組がすでにあります。"]}
    assert Project.objects.filter(vision=vision).count() == 1
    assert Project.objects.filter(vision=other_vision).count() == 1


@pytest.mark.parametrize(
    ("field", "role", "message"),
    [
        (
            ProjectField.TOURISM,
            Role.LIVING_SERVICES,
            "分野「戦略的な観光施策」は役割ウに属しません。",
        ),
        (ProjectField.CARE, Role.ECONOMY, "分野「介護」は役割アに属しません。"),
        (
            ProjectField.HIGHER_EDUCATION,
            Role.ECONOMY,
            "分野「高等教育・研究開発の環境整備」は役割アに属しません。",
        ),
    ],
    ids=["tourism-under-u", "care-under-a", "higher-education-under-a"],
)
def test_project_field_of_another_role_is_refused(area, field, role, message):
    vision = factories.VisionFactory(area=area)

    errors = _refused(project_save, project=_project(vision, field=field, role=role), user=None)

    assert errors == {"field": [message]}
    assert not Project.objects.exists()


@pytest.mark.parametrize("role", list(Role))
def test_project_field_other_is_allowed_under_every_role(area, role):
    vision = factories.VisionFactory(area=area)

    project_save(project=_project(vision, field=ProjectField.OTHER, role=role), user=None)

    assert Project.objects.get().role == role


@pytest.mark.parametrize("model", [IndicatorActual, IndicatorTarget])
def test_a_yearly_row_without_its_indicator_gets_a_field_error(model):
    row = model(fiscal_year=2019, value=Decimal("1"))

    with pytest.raises(ValidationError) as refused:
        row.full_clean()

    assert list(refused.value.message_dict) == ["indicator"]


# Values fit their indicator's kind


@pytest.mark.parametrize(
    ("unit", "kind"),
    [
        ("人", IndicatorKind.COUNT),
        ("万人", IndicatorKind.COUNT),
        ("人泊", IndicatorKind.COUNT),
        ("千円", IndicatorKind.AMOUNT),
        ("%", IndicatorKind.PERCENTAGE),
        ("分", IndicatorKind.OTHER),
        ("pt", IndicatorKind.OTHER),
    ],
)
def test_indicator_kind_suggested_by_its_unit(unit, kind):
    assert IndicatorKind.for_unit(unit) == kind


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        (IndicatorKind.COUNT, "-1", ERROR_VALUE_NEGATIVE),
        (IndicatorKind.AMOUNT, "-0.5", ERROR_VALUE_NEGATIVE),
        (IndicatorKind.PERCENTAGE, "-0.1", ERROR_VALUE_PERCENTAGE),
        (IndicatorKind.PERCENTAGE, "100.1", ERROR_VALUE_PERCENTAGE),
        (IndicatorKind.COUNT, "0", None),
        (IndicatorKind.AMOUNT, "0", None),
        (IndicatorKind.PERCENTAGE, "0", None),
        (IndicatorKind.PERCENTAGE, "0.5", None),
        (IndicatorKind.PERCENTAGE, "100", None),
        (IndicatorKind.OTHER, "-40", None),
    ],
)
def test_actual_and_target_values_fit_the_indicators_kind(kind, value, message):
    indicator = factories.IndicatorFactory(
        kind=kind, baseline_value=Decimal("0"), target_value=Decimal("0")
    )
    for row in (
        IndicatorActual(indicator=indicator, fiscal_year=2016, value=Decimal(value)),
        IndicatorTarget(indicator=indicator, fiscal_year=2016, value=Decimal(value)),
    ):
        if message is None:
            row.full_clean()
            continue
        with pytest.raises(ValidationError) as refused:
            row.full_clean()
        expected = message % {"kind": kind.label} if message == ERROR_VALUE_NEGATIVE else message
        assert refused.value.message_dict == {"value": [str(expected)]}


def test_indicator_kind_cannot_change_under_values_that_do_not_fit():
    indicator = factories.IndicatorFactory(
        direction="lower", baseline_value=Decimal("5"), target_value=Decimal("0")
    )
    factories.IndicatorActualFactory(indicator=indicator, fiscal_year=2017, value=Decimal("-2"))

    indicator.kind = IndicatorKind.COUNT
    with pytest.raises(ValidationError) as refused:
        indicator_save(indicator=indicator, user=None)

    assert refused.value.message_dict["kind"] == [
        str(ERROR_KIND_VALUES % {"years": "2017", "kind": IndicatorKind.COUNT.label})
    ]


def test_a_count_indicator_with_a_negative_baseline_is_refused_by_the_database():
    indicator = factories.IndicatorFactory.build(
        project=factories.ProjectFactory(),
        kind=IndicatorKind.COUNT,
        baseline_value=Decimal("-1"),
        target_value=Decimal("5"),
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        indicator.save()


# --- Rules found unguarded by mutation testing (docs/mutation.md) ---------------------------


def test_indicator_years_cannot_leave_its_yearly_targets_outside():
    indicator = factories.IndicatorFactory()  # 2014 to 2020
    factories.IndicatorTargetFactory(indicator=indicator, fiscal_year=2017)
    factories.IndicatorTargetFactory(indicator=indicator, fiscal_year=2019)

    indicator.target_fiscal_year = 2017
    errors = _refused(indicator_save, indicator=indicator, user=None)

    assert errors["target_fiscal_year"] == [str(ERROR_TARGETS_OUTSIDE % {"years": "2017, 2019"})]
    indicator.refresh_from_db()
    assert indicator.target_fiscal_year == 2020


def test_indicator_without_a_baseline_value_names_the_field():
    indicator = factories.IndicatorFactory.build(
        project=factories.ProjectFactory(), baseline_value=None
    )

    errors = _refused(indicator_save, indicator=indicator, user=None)

    assert list(errors) == ["baseline_value"]
    assert not Indicator.objects.exists()


def test_roundtable_meeting_has_its_minutes_as_a_pdf_or_a_link_not_both():
    meeting = RoundtableMeeting(
        vision=factories.VisionFactory(),
        held_on=datetime.date(2015, 10, 1),
        agenda="ビジョン素案について",
        minutes_document="minutes/2015/gijiroku.pdf",
        minutes_url="https://www.example.jp/gijiroku",
    )

    with pytest.raises(ValidationError) as refused:
        meeting.clean()

    assert refused.value.message_dict == {"minutes_url": [str(ERROR_MINUTES)]}


def test_allocation_tax_only_for_a_member_of_the_area(area):
    outsider = factories.MunicipalityFactory()

    errors = _refused(support_save, support=_support(area, outsider), user=None)

    assert errors == {
        "municipality": [str(ERROR_NOT_A_MEMBER % {"municipality": outsider, "area": area})]
    }
    assert not FiscalSupport.objects.exists()


def test_allocation_tax_without_a_municipality_names_the_field(area):
    errors = _refused(support_save, support=_support(area, None), user=None)

    assert list(errors) == ["municipality"]


def _field_error(model, field: str, key: str, **params) -> str:
    """Django's own message `key` of the model's field (e.g. "null", "invalid_choice")."""
    message = model._meta.get_field(field).error_messages[key]
    return ValidationError(message, params=params or None).messages[0]


def _full_clean_errors(instance) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as refused:
        instance.full_clean()
    return refused.value.message_dict


@pytest.mark.parametrize(
    ("first", "last", "cost_year", "missing"),
    [(None, 2019, 2020, "first_fiscal_year"), (2017, None, 2016, "last_fiscal_year")],
    ids=["first-year-missing", "last-year-missing"],
)
def test_vision_period_with_a_year_missing_names_only_that_year(
    area, first, last, cost_year, missing
):
    vision = factories.VisionFactory(area=area)  # 2016 to 2020
    project = factories.ProjectFactory(vision=vision)
    factories.ProjectBudgetFactory(project=project, fiscal_year=cost_year)

    vision.first_fiscal_year, vision.last_fiscal_year = first, last

    # Costs are checked against a whole period only: half of one refuses none of them.
    assert _full_clean_errors(vision) == {missing: [_field_error(Vision, missing, "null")]}


def test_vision_period_names_every_year_of_costs_it_would_leave_outside(area):
    vision = factories.VisionFactory(area=area)  # 2016 to 2020
    project = factories.ProjectFactory(vision=vision)
    for year in (2016, 2018, 2020):
        factories.ProjectBudgetFactory(project=project, fiscal_year=year)

    vision.first_fiscal_year, vision.last_fiscal_year = 2017, 2019

    assert _full_clean_errors(vision) == {
        "last_fiscal_year": [str(ERROR_BUDGETS_OUTSIDE % {"years": "2016, 2020"})]
    }


def test_vision_cannot_be_a_revision_of_itself(area):
    vision = factories.VisionFactory(area=area)

    vision.previous, vision.revision_reason = vision, "計画期間の満了"

    # The earlier version is fixed once the vision is saved, and it is never the vision itself.
    assert _full_clean_errors(vision) == {"previous": [str(ERROR_FIXED), str(ERROR_PREVIOUS_SELF)]}


def test_revision_of_a_vision_of_another_area_is_refused(area):
    elsewhere = factories.VisionFactory(adopted=True)
    vision = Vision(
        area=area,
        title="第2期ビジョン",
        first_fiscal_year=2021,
        last_fiscal_year=2025,
        previous=elsewhere,
        revision_reason="計画期間の満了",
    )

    errors = _refused(vision_save, vision=vision, user=None)

    assert errors == {"previous": [str(ERROR_PREVIOUS_OTHER_AREA)]}
    assert list(Vision.objects.all()) == [elsewhere]


def test_comment_period_needs_its_first_day(area):
    vision = Vision(
        area=area,
        title="ビジョン案",
        first_fiscal_year=2016,
        last_fiscal_year=2020,
        comment_ends_on=datetime.date(2016, 2, 4),
    )

    errors = _refused(vision_save, vision=vision, user=None)

    assert errors == {"comment_starts_on": [str(ERROR_COMMENT_PERIOD)]}
    assert not Vision.objects.exists()


def test_comment_period_of_a_single_day_is_accepted(area):
    day = datetime.date(2016, 1, 5)
    vision = Vision(
        area=area,
        title="ビジョン案",
        first_fiscal_year=2016,
        last_fiscal_year=2020,
        comment_starts_on=day,
        comment_ends_on=day,
    )

    vision_save(vision=vision, user=None)

    assert Vision.objects.values_list("comment_starts_on", "comment_ends_on").get() == (day, day)


def test_project_field_under_an_unknown_role_names_the_role_as_given(area):
    project = _project(factories.VisionFactory(area=area), role="urban")

    assert _full_clean_errors(project) == {
        "role": [_field_error(Project, "role", "invalid_choice", value="urban")],
        "field": [str(ERROR_FIELD_ROLE) % {"field": "介護", "role": "urban"}],
    }


def test_project_role_change_names_every_participant_it_would_leave_uncovered(project):
    first, second = sorted(
        (factories.ProjectParticipantFactory(project=project).municipality for _ in range(2)),
        key=lambda municipality: municipality.code,
    )

    project.role, project.field = Role.ECONOMY, ProjectField.TOURISM

    municipalities = f"{first.name}, {second.name}"
    assert _full_clean_errors(project) == {
        "role": [
            str(ERROR_ROLE_LEAVES_PARTICIPANTS % {"municipalities": municipalities, "role": "ウ"})
        ]
    }


def test_indicator_of_an_unknown_kind_names_the_field(project):
    indicator = _indicator(project, kind="ratio")

    assert _full_clean_errors(indicator) == {
        "kind": [_field_error(Indicator, "kind", "invalid_choice", value="ratio")]
    }


@pytest.mark.parametrize(
    ("kind", "values", "field", "message"),
    [
        (
            IndicatorKind.COUNT,
            (Direction.HIGHER, "-1", "5"),
            "baseline_value",
            ERROR_VALUE_NEGATIVE,
        ),
        (
            IndicatorKind.AMOUNT,
            (Direction.LOWER, "5", "-0.5"),
            "target_value",
            ERROR_VALUE_NEGATIVE,
        ),
        (
            IndicatorKind.PERCENTAGE,
            (Direction.HIGHER, "-0.1", "50"),
            "baseline_value",
            ERROR_VALUE_PERCENTAGE,
        ),
        (
            IndicatorKind.PERCENTAGE,
            (Direction.HIGHER, "50", "100.1"),
            "target_value",
            ERROR_VALUE_PERCENTAGE,
        ),
    ],
    ids=["count-baseline", "amount-target", "percentage-baseline", "percentage-target"],
)
def test_indicator_baseline_and_target_values_fit_its_kind(project, kind, values, field, message):
    direction, baseline, target = values
    indicator = _indicator(
        project,
        kind=kind,
        direction=direction,
        baseline_value=Decimal(baseline),
        target_value=Decimal(target),
    )

    expected = message % {"kind": kind.label} if message == ERROR_VALUE_NEGATIVE else message
    assert _full_clean_errors(indicator) == {field: [str(expected)]}


def test_indicator_kind_change_names_every_year_whose_values_do_not_fit():
    indicator = factories.IndicatorFactory(
        direction="lower", baseline_value=Decimal("5"), target_value=Decimal("0")
    )
    factories.IndicatorActualFactory(indicator=indicator, fiscal_year=2017, value=Decimal("-2"))
    factories.IndicatorActualFactory(indicator=indicator, fiscal_year=2018, value=Decimal("3"))
    factories.IndicatorTargetFactory(indicator=indicator, fiscal_year=2019, value=Decimal("-1"))

    indicator.kind = IndicatorKind.COUNT

    assert _full_clean_errors(indicator) == {
        "kind": [
            str(ERROR_KIND_VALUES % {"years": "2017, 2019", "kind": IndicatorKind.COUNT.label})
        ]
    }


def test_project_field_outside_the_choices_is_refused_with_a_message_not_a_crash():
    project = factories.ProjectFactory.build(
        vision=factories.VisionFactory(), field="宇宙開発", lead=None
    )
    project.lead = project.vision.area.central_city

    with pytest.raises(ValidationError) as refused:
        project.full_clean()

    assert "field" in refused.value.message_dict


def test_the_seeded_rule_gets_its_full_width_colon_once_and_only_where_untouched():
    from vision import allocation

    rule = AllocationTaxRule.objects.get(from_fiscal_year=2015)
    rule.source = allocation.EARLIER_SOURCES[0]
    rule.save()

    allocation.ensure_first_rule()

    rule.refresh_from_db()
    assert rule.source == allocation.FIRST_RULE["source"]
    assert "）：連携市町村" in rule.source
    assert rule.history.first().history_change_reason == allocation.PUNCTUATION_REASON

    rule.source = "企画担当が書き直した出典"
    rule.save()
    allocation.ensure_first_rule()
    rule.refresh_from_db()
    assert rule.source == "企画担当が書き直した出典"  # an edited source is left alone
