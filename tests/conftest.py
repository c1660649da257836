import datetime

import pytest
from django.utils import translation

from tests import factories


@pytest.fixture(autouse=True)
def _japanese(settings):
    """Tests run in Japanese, as the site does by default."""
    settings.LANGUAGE_CODE = "ja"
    with translation.override("ja"):
        yield


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, tmp_path):
    """Uploaded documents go to a folder of the test, never into the project."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def staff_user(db):
    return factories.UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def area(db):
    """An area with its central city and declaration; no partner yet."""
    return factories.CooperationAreaFactory()


@pytest.fixture
def today():
    return datetime.date(2026, 11, 27)
