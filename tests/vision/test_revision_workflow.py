"""Revising a vision in the admin, and the rules that keep a vision's records consistent."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse

from agreements.models import Role
from tests import factories
from tests.municipalities.admin_forms import change_form_data, inline_formset
from vision.models import IndicatorActual, Project, ProjectParticipant, Vision
from vision.services import (
    actual_save,
    participant_save,
    project_save,
    vision_revise,
    vision_save,
)

pytestmark = pytest.mark.django_db

ADOPTED_ON = datetime.date(2021, 3, 26)


def _revision_of(vision: Vision, **kwargs) -> Vision:
    return vision_revise(
        previous=vision,
        user=None,
        title="改定版",
        first_fiscal_year=2021,
        last_fiscal_year=2025,
        revision_reason="計画期間の満了",
        **kwargs,
    )


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_start_revision_action_makes_a_draft_and_opens_it(admin_client):
    vision = factories.ProjectFactory(vision__adopted=True).vision
    url = reverse("admin:vision_vision_changelist")
    data = {"action": "start_revision", "_selected_action": [str(vision.pk)]}

    form_page = admin_client.post(url, data)
    response = admin_client.post(
        url,
        data
        | {
            "revise": "1",
            "title": "改定版",
            "first_fiscal_year": "2021",
            "last_fiscal_year": "2025",
            "revision_reason": "計画期間の満了",
        },
    )

    assert form_page.status_code == 200
    revision = Vision.objects.get(previous=vision)
    assert response.status_code == 302
    assert response.url == reverse("admin:vision_vision_change", args=[revision.pk])
    assert revision.status == Vision.Status.DRAFT
    assert revision.projects.count() == 1


def test_start_revision_action_refuses_a_draft_vision(admin_client):
    draft = factories.VisionFactory()

    response = admin_client.post(
        reverse("admin:vision_vision_changelist"),
        {"action": "start_revision", "_selected_action": [str(draft.pk)]},
        follow=True,
    )

    assert "改定できるのは策定済みのビジョンだけです。" in _messages(response)
    assert not Vision.objects.filter(previous=draft).exists()


def test_adopting_the_revision_on_its_admin_page_supersedes_the_earlier_version(admin_client):
    vision = factories.ProjectFactory(vision__adopted=True).vision
    revision = _revision_of(vision)
    url = reverse("admin:vision_vision_change", args=[revision.pk])
    data = change_form_data(admin_client.get(url)) | {
        "status": "adopted",
        "adopted_on": ADOPTED_ON.isoformat(),
    }

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    vision.refresh_from_db()
    revision.refresh_from_db()
    assert (vision.status, revision.status) == (Vision.Status.SUPERSEDED, Vision.Status.ADOPTED)


def test_a_second_adopted_vision_that_revises_nothing_is_still_refused(admin_client, area):
    factories.VisionFactory(area=area, adopted=True)
    other = factories.VisionFactory(area=area, first_fiscal_year=2021, last_fiscal_year=2025)
    url = reverse("admin:vision_vision_change", args=[other.pk])
    data = change_form_data(admin_client.get(url)) | {
        "status": "adopted",
        "adopted_on": ADOPTED_ON.isoformat(),
    }

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "この圏域には策定済みのビジョンがすでにあります" in response.content.decode()
    other.refresh_from_db()
    assert other.status == Vision.Status.DRAFT


def test_actuals_entered_in_the_adopted_version_meanwhile_are_carried_over(area):
    indicator = factories.IndicatorFactory(
        project__vision__area=area, project__vision__adopted=True, project__code="ア-01", code="1"
    )
    revision = _revision_of(indicator.project.vision)
    # The clerk enters 2019 in the version in force while the revision is being drafted.
    actual_save(
        actual=IndicatorActual(indicator=indicator, fiscal_year=2019, value=Decimal("180")),
        user=None,
    )

    revision.status, revision.adopted_on = Vision.Status.ADOPTED, ADOPTED_ON
    vision_save(vision=revision, user=None)

    copied = IndicatorActual.objects.get(
        indicator__project__vision=revision, indicator__code="1", fiscal_year=2019
    )
    assert copied.value == Decimal("180")


def test_revision_leaves_out_costs_of_a_former_lead(area):
    project = factories.ProjectFactory(vision__area=area, vision__adopted=True)
    former_lead = project.lead
    factories.ProjectBudgetFactory(project=project, municipality=former_lead, fiscal_year=2022)
    project.lead = factories.AreaMembershipFactory(area=area).municipality
    project_save(project=project, user=None)
    project.vision.last_fiscal_year = 2025
    vision_save(vision=project.vision, user=None)

    revision = _revision_of(project.vision)

    assert not revision.projects.get().budgets.exists()


def test_partner_with_an_internal_agreement_does_not_take_part(area):
    project = factories.ProjectFactory(vision__area=area, role=Role.ECONOMY)
    agreement = factories.AgreementFactory(area=area, internal=True)
    item = factories.AgreementItemFactory(agreement=agreement, role=Role.ECONOMY)

    with pytest.raises(ValidationError) as refused:
        participant_save(
            participant=ProjectParticipant(
                project=project, municipality=agreement.partner, agreement_item=item
            ),
            user=None,
        )

    assert refused.value.message_dict == {
        "agreement_item": [
            f"{agreement.partner}との連携協約は内部の案です。取組の根拠にする前に公開してください。"
        ]
    }
    assert not ProjectParticipant.objects.exists()


def test_project_role_cannot_change_away_from_its_participants_items(area):
    participation = factories.ProjectParticipantFactory(
        project__vision__area=area, project__role=Role.ECONOMY
    )
    project = participation.project
    project.role = Role.LIVING_SERVICES
    project.field = "other"

    with pytest.raises(ValidationError) as refused:
        project_save(project=project, user=None)

    assert refused.value.message_dict["role"] == [
        f"{participation.municipality}の連携事項は役割アのものです。"
        "先に参加の記録を修正してください。"
    ]
    assert Project.objects.get().role == Role.ECONOMY


def test_vision_period_cannot_leave_recorded_costs_outside(area):
    budget = factories.ProjectBudgetFactory(project__vision__area=area, fiscal_year=2019)
    vision = budget.project.vision
    vision.last_fiscal_year = 2018

    with pytest.raises(ValidationError) as refused:
        vision_save(vision=vision, user=None)

    assert refused.value.message_dict["last_fiscal_year"] == [
        "2019年度の事業費が記録されており、この計画期間の外になります。先に事業費を修正してください。"
    ]
    vision.refresh_from_db()
    assert vision.last_fiscal_year == 2020


def test_participant_item_choices_are_the_users_areas_published_items(client, area):
    from municipalities.roles import create_account, setup_roles

    setup_roles()
    planner, _password = create_account(
        kind="planning_staff", municipality=area.central_city, username="planner"
    )
    client.force_login(planner)
    project = factories.ProjectFactory(vision__area=area)
    own = factories.AgreementItemFactory(agreement__area=area, title="自圏域の公開項目")
    factories.AgreementItemFactory(agreement__area=area, agreement__internal=True, title="内部")
    factories.AgreementItemFactory(title="他圏域の項目")

    response = client.get(reverse("admin:vision_project_change", args=[project.pk]))

    formset = inline_formset(response, ProjectParticipant)
    choices = list(formset.empty_form.fields["agreement_item"].queryset)
    assert choices == [own]


def test_indicator_export_leaves_out_superseded_versions_unless_one_is_chosen(admin_client, area):
    import io

    import openpyxl

    old = factories.IndicatorFactory(
        project__vision__area=area,
        project__vision__status=Vision.Status.SUPERSEDED,
        project__vision__adopted_on=datetime.date(2016, 3, 29),
        name="旧版の指標",
    )
    factories.IndicatorFactory(
        project__vision__area=area,
        project__vision__adopted=True,
        project__vision__first_fiscal_year=2021,
        project__vision__last_fiscal_year=2025,
        name="現行の指標",
    )
    url = reverse("admin:vision_indicator_export")

    def names(query: str = "") -> set[str]:
        response = admin_client.post(url + query, {"format": "0", "resource": "0"})
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        return {row[3] for row in list(sheet.iter_rows(values_only=True))[1:]}

    assert names() == {"現行の指標"}
    assert names(f"?project__vision__id__exact={old.project.vision_id}") == {"旧版の指標"}
