import pytest

from tests import factories
from vision.models import Vision
from vision.selectors import current_vision

pytestmark = pytest.mark.django_db


def test_current_vision_prefers_adopted_over_newer_draft(area):
    adopted = factories.VisionFactory(area=area, adopted=True)
    factories.VisionFactory(area=area, first_fiscal_year=2021, last_fiscal_year=2025)

    assert current_vision(area) == adopted


def test_current_vision_without_adopted_one_is_the_most_recent(area):
    factories.VisionFactory(area=area, status=Vision.Status.SUPERSEDED, adopted_on="2016-03-29")
    newest = factories.VisionFactory(
        area=area,
        first_fiscal_year=2021,
        last_fiscal_year=2025,
        status=Vision.Status.PUBLIC_COMMENT,
    )

    assert current_vision(area) == newest


def test_current_vision_never_shows_a_draft(area):
    factories.VisionFactory(area=area, first_fiscal_year=2021, last_fiscal_year=2025)

    assert current_vision(area) is None


def test_current_vision_of_area_without_vision_is_none(area):
    factories.VisionFactory()

    assert current_vision(area) is None


def test_current_vision_counts_projects_and_indicators(area):
    vision = factories.VisionFactory(area=area, adopted=True)
    project, other = factories.ProjectFactory.create_batch(2, vision=vision)
    factories.IndicatorFactory.create_batch(3, project=project)
    factories.IndicatorFactory(project=other)

    current = current_vision(area)

    assert current == vision
    assert (current.project_count, current.indicator_count) == (2, 4)
