import datetime

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.utils import translation

from tests import factories


@pytest.fixture(autouse=True, scope="session")
def _test_settings(tmp_path_factory):
    """For the whole run: accounts hash their passwords with MD5 (production's PBKDF2 takes a
    quarter of a second per password, on purpose, and the suite creates hundreds of accounts),
    and documents saved outside a test, by a fixture shared by a module, go to a temporary
    folder too, never into the project. Requests are plain HTTP and static files are read
    from the project (production's collected, hashed files need `collectstatic`); tests of the
    production settings start Django in a process of their own (tests/test_settings.py)."""
    with override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        MEDIA_ROOT=tmp_path_factory.mktemp("media"),
        SECURE_SSL_REDIRECT=False,
        # Every test reads public pages through the server-side page cache, as production
        # does with Redis; each test starts with an empty cache (_empty_cache).
        PAGE_CACHE_SECONDS=600,
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    ):
        yield


@pytest.fixture(autouse=True)
def _empty_cache():
    """The database is rolled back after each test; the cache must forget with it."""
    cache.clear()
    yield
    cache.clear()


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


@pytest.fixture(scope="module")
def _demo_committed(django_db_setup, django_db_blocker):
    """The Nagano demo, loaded and committed once for a module (loading takes seconds), and
    the database emptied again after the module, as pytest-django does after a transactional
    test. Only for modules whose every test may see the demo."""
    from django.core.management import call_command

    from public import demo

    with django_db_blocker.unblock():
        area = demo.load()
        try:
            yield area.pk
        finally:
            call_command("flush", verbosity=0, interactive=False)


@pytest.fixture
def shared_demo(_demo_committed, db):
    """The module's Nagano demo (its area); what the test writes rolls back with the test."""
    from municipalities.models import CooperationArea

    return CooperationArea.objects.get(pk=_demo_committed)
