import datetime

import pytest
from django.utils import timezone

from public.selectors import PipelineStep, areas_with_figures, overviews, pipeline_steps
from tests import factories


def _steps(**kwargs) -> list[tuple[str, bool, bool]]:
    values = {"declared": True, "agreements_in_force": 8, "partners": 8, "vision_adopted": True}
    return [(s.key, s.done, s.current) for s in pipeline_steps(**(values | kwargs))]


def test_pipeline_steps_declaration_is_current_before_declaring():
    assert _steps(declared=False, agreements_in_force=0, vision_adopted=False) == [
        ("declaration", False, True),
        ("agreements", False, False),
        ("vision", False, False),
    ]


def test_pipeline_steps_agreements_are_current_until_every_partner_has_one_in_force():
    assert _steps(agreements_in_force=7, vision_adopted=False) == [
        ("declaration", True, False),
        ("agreements", False, True),
        ("vision", False, False),
    ]


def test_pipeline_steps_agreements_are_not_done_without_partners():
    assert _steps(agreements_in_force=0, partners=0) == [
        ("declaration", True, False),
        ("agreements", False, True),
        ("vision", True, False),
    ]


def test_pipeline_steps_vision_is_current_once_agreements_are_in_force():
    assert _steps(vision_adopted=False) == [
        ("declaration", True, False),
        ("agreements", True, False),
        ("vision", False, True),
    ]


def test_pipeline_steps_earliest_undone_step_is_current():
    # A vision adopted before the declaration does not move the area past step 1.
    assert _steps(declared=False, agreements_in_force=0) == [
        ("declaration", False, True),
        ("agreements", False, False),
        ("vision", True, False),
    ]


def test_pipeline_steps_none_is_current_when_all_are_done():
    steps = pipeline_steps(declared=True, agreements_in_force=8, partners=8, vision_adopted=True)

    assert steps == [
        PipelineStep("declaration", True, False),
        PipelineStep("agreements", True, False),
        PipelineStep("vision", True, False),
    ]


@pytest.mark.django_db
def test_area_figures_count_current_partners_only(area):
    factories.AreaMembershipFactory.create_batch(2, area=area)
    factories.AreaMembershipFactory(area=area, left=True)
    rejoined = factories.AreaMembershipFactory(area=area, left=True)
    factories.AreaMembershipFactory(
        area=area, municipality=rejoined.municipality, joined_on=datetime.date(2021, 4, 1)
    )
    empty = factories.CooperationAreaFactory()

    factories.AreaMembershipFactory(area=area, joined_on=datetime.date(2099, 4, 1))  # not yet

    areas = overviews(areas_with_figures(timezone.localdate()))
    counts = {a.pk: progress.partners for a, progress in areas}

    assert counts == {area.pk: 3, empty.pk: 0}


@pytest.mark.django_db
def test_area_figures_count_only_public_agreements_in_force_with_current_partners(area):
    factories.agreement_in_force(area=area)
    internal = factories.AgreementFactory(area=area, internal=True)
    former = factories.agreement_in_force(area=area)
    membership = area.memberships.get(municipality=former.partner)
    membership.left_on = datetime.date(2020, 3, 31)
    membership.save()

    ((_, progress),) = overviews(areas_with_figures(timezone.localdate()))

    assert (progress.partners, progress.in_force) == (2, 1)
    assert progress.current_step == "agreements"
    assert internal.partner_id in {m.municipality_id for m in area.memberships.all()}
