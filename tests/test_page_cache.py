"""Public pages come from the server-side cache, and any write makes them fresh at once.

Each test reads a page once (a miss, now cached), a second time (a hit), then writes the
record by one of the paths people use and reads again: the change must show.
"""

import datetime

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client

from agreements.status import Result
from municipalities import page_versions
from tests import factories
from tests.factories import RESOLVED_ON
from tests.municipalities.admin_forms import change_form_data

pytestmark = pytest.mark.django_db


def _read(client: Client, url: str) -> tuple[str, str]:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get("X-Page-Cache", ""), response.content.decode()


def _cached(client: Client, url: str) -> str:
    """Read twice; the second read must come from the cache. Returns the page."""
    first, page = _read(client, url)
    second, again = _read(client, url)
    assert (first, second) == ("miss", "hit"), url
    assert again == page
    return page


@pytest.fixture
def agreement():
    return factories.agreement_in_force()


def _area_page(agreement) -> str:
    return f"/areas/{agreement.area.slug}/"


def test_a_public_page_is_cached_in_each_language(client, agreement):
    japanese = _cached(client, agreement.get_absolute_url())
    english = _cached(client, f"/en{agreement.get_absolute_url()}")
    assert 'lang="ja"' in japanese and 'lang="en"' in english


def test_an_admin_save_makes_the_areas_pages_and_the_home_page_fresh(client):
    agreement = factories.AgreementFactory()  # a published draft: its title can still change
    for url in (_area_page(agreement), agreement.get_absolute_url(), "/"):
        _cached(client, url)
    operator = Client()
    operator.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    admin_url = f"/admin/agreements/agreement/{agreement.pk}/change/"
    form = change_form_data(operator.get(admin_url)) | {"title": "改めた題名の連携協約"}
    assert operator.post(admin_url, form).status_code == 302

    state, page = _read(client, agreement.get_absolute_url())
    assert state == "miss" and "改めた題名の連携協約" in page
    assert _read(client, _area_page(agreement))[0] == "miss"
    assert _read(client, "/")[0] == "miss"


def test_a_clerks_resolution_at_the_desk_shows_at_once(client):
    procedure = factories.ProcedureFactory()
    url = procedure.agreement.get_absolute_url()
    assert "議案第77号" not in _cached(client, url)
    clerk = Client()
    clerk.force_login(factories.clerk(procedure.agreement.partner))
    form = {
        "session": "令和8年3月定例会",
        "bill_number": "議案第77号",
        "resolved_on": RESOLVED_ON.isoformat(),
        "result": Result.PASSED,
        "document_pending": "議決書は届き次第掲載します。",
        "note": "",
    }
    response = clerk.post(f"/desk/procedures/{procedure.pk}/resolutions/new/", form)
    assert response.status_code == 302

    state, page = _read(client, url)
    assert state == "miss" and "議案第77号" in page


def test_a_write_by_a_command_or_a_shell_shows_at_once(client, agreement):
    _cached(client, "/")
    call_command("load_demo")
    state, page = _read(client, "/")
    assert state == "miss" and "長野" in page

    _cached(client, _area_page(agreement))
    agreement.partner.name = "改名町"
    agreement.partner.save()  # the registry: every page that names it
    state, page = _read(client, _area_page(agreement))
    assert state == "miss" and "改名町" in page


def test_a_write_to_one_area_leaves_the_other_areas_pages_cached(client, agreement):
    other = factories.agreement_in_force()
    _cached(client, _area_page(other))
    _cached(client, _area_page(agreement))

    factories.AgreementItemFactory(agreement=agreement)

    assert _read(client, _area_page(other))[0] == "hit"
    assert _read(client, _area_page(agreement))[0] == "miss"


def test_the_api_answers_from_the_cache_until_a_write(client, agreement):
    """The API's lists and records are kept like the pages; a write anywhere in the record
    makes the lists fresh, one in an area that area's records."""
    slug, partner = agreement.area.slug, agreement.partner.code
    record = f"/api/agreements/{slug}/{partner}/"
    other = factories.agreement_in_force()
    other_record = f"/api/agreements/{other.area.slug}/{other.partner.code}/"
    for url in ("/api/agreements/", record, other_record, "/api/openapi.json"):
        _cached(client, url)

    agreement.title = "改めた題名の連携協約"
    agreement.save()

    state, answer = _read(client, "/api/agreements/")
    assert state == "miss" and "改めた題名の連携協約" in answer
    assert _read(client, record)[0] == "miss"
    assert _read(client, other_record)[0] == "hit"
    # A filter other than the page is never kept: each would be an answer of its own.
    assert _read(client, f"/api/agreements/?area={slug}")[0] == ""


def test_a_draft_made_public_appears_although_the_page_was_cached(client, agreement):
    draft = factories.AgreementFactory(area=agreement.area, internal=True, title="内部の草案")
    url = f"/areas/{agreement.area.slug}/agreements.json"
    assert "内部の草案" not in _cached(client, url)
    draft.is_public = True
    draft.save()
    assert "内部の草案" in _read(client, url)[1]


def test_signed_in_people_neither_read_nor_fill_the_cache(admin_client, agreement):
    url = _area_page(agreement)
    response = admin_client.get(url)
    assert response.status_code == 200
    assert not response.has_header("X-Page-Cache")
    assert _read(Client(), url)[0] == "miss"  # the signed-in read kept nothing
    assert not admin_client.get(url).has_header("X-Page-Cache")


def test_pages_that_are_not_found_are_not_kept(client, agreement):
    for _ in range(2):
        response = client.get("/areas/no-such-area/")
        assert response.status_code == 404
        assert not response.has_header("X-Page-Cache")
    factories.CooperationAreaFactory(slug="no-such-area")
    assert client.get("/areas/no-such-area/").status_code == 200


def test_a_page_cached_yesterday_is_not_read_today(client, agreement, monkeypatch):
    _cached(client, _area_page(agreement))
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    monkeypatch.setattr("config.middleware.timezone.localdate", lambda: tomorrow)
    assert _read(client, _area_page(agreement))[0] == "miss"


def test_a_version_the_cache_lost_never_serves_an_old_page(client, agreement):
    _cached(client, _area_page(agreement))
    cache.delete(page_versions.area_key(agreement.area.slug))
    assert _read(client, _area_page(agreement))[0] == "miss"


def test_the_version_moves_again_when_the_transaction_commits(
    agreement, django_capture_on_commit_callbacks
):
    key = page_versions.area_key(agreement.area.slug)
    (before,) = page_versions.current([key])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        factories.AgreementItemFactory(agreement=agreement)
        (during,) = page_versions.current([key])
    assert during > before
    for callback in callbacks:
        callback()
    assert page_versions.current([key])[0] > during


def test_no_page_cache_when_it_is_switched_off(client, agreement, settings):
    settings.PAGE_CACHE_SECONDS = 0
    for _ in range(2):
        assert _read(Client(), _area_page(agreement))[0] == ""


def test_a_cached_page_is_kept_compressed_and_answers_a_conditional_request(client, agreement):
    url = _area_page(agreement)
    first = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert (first["X-Page-Cache"], first["Content-Encoding"]) == ("miss", "gzip")

    hit = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert (hit["X-Page-Cache"], hit["Content-Encoding"]) == ("hit", "gzip")
    assert hit.content == first.content and hit["ETag"] == first["ETag"]
    assert "public" in hit["Cache-Control"] and not hit.cookies

    not_modified = client.get(url, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=first["ETag"])
    assert (not_modified.status_code, not_modified["X-Page-Cache"]) == (304, "hit")
    assert not_modified.content == b""

    plain = client.get(url)  # a client that takes no gzip gets its own copy
    assert plain["X-Page-Cache"] == "miss" and not plain.has_header("Content-Encoding")


def test_an_agreement_moved_to_another_area_leaves_neither_areas_pages_stale(client):
    draft = factories.AgreementFactory(title="移る協約")  # no procedure yet: its area may change
    other = factories.CooperationAreaFactory()
    factories.AreaMembershipFactory(area=other, municipality=draft.partner)
    old_url = f"/areas/{draft.area.slug}/agreements.json"
    new_url = f"/areas/{other.slug}/agreements.json"
    assert "移る協約" in _cached(client, old_url)
    assert "移る協約" not in _cached(client, new_url)

    draft.area = other
    draft.save()

    assert "移る協約" not in _read(client, old_url)[1]
    assert "移る協約" in _read(client, new_url)[1]


def test_only_the_parameters_pages_read_make_pages_of_their_own(client, agreement):
    _cached(client, f"{_area_page(agreement)}?page=1")
    for _ in range(2):
        response = client.get(f"{_area_page(agreement)}?utm_source=mail")
        assert response.status_code == 200 and not response.has_header("X-Page-Cache")


def test_each_host_gets_its_own_copy_with_its_own_links(client, agreement, settings):
    settings.ALLOWED_HOSTS = ["testserver", "www.example.jp"]
    url = "/areas.json"
    _cached(client, url)
    other = client.get(url, HTTP_HOST="www.example.jp")
    assert other["X-Page-Cache"] == "miss"
    assert "http://www.example.jp/" in other.content.decode()


def test_a_cache_that_does_not_answer_neither_breaks_pages_nor_writes(
    client, agreement, monkeypatch
):
    def down(*args, **kwargs):
        raise ConnectionError("the cache is down")

    for name in ("get", "get_many", "set", "set_many", "incr"):
        monkeypatch.setattr(cache, name, down)

    response = client.get(_area_page(agreement))
    assert response.status_code == 200 and not response.has_header("X-Page-Cache")
    factories.AgreementItemFactory(agreement=agreement)  # a write still succeeds


def test_a_deployment_that_migrates_makes_every_page_fresh(client, agreement):
    _cached(client, _area_page(agreement))
    call_command("migrate", verbosity=0)
    assert _read(client, _area_page(agreement))[0] == "miss"


def test_a_feed_from_the_cache_answers_if_modified_since(client, agreement):
    url = f"/areas/{agreement.area.slug}/feed.atom"
    first = client.get(url)
    assert first["X-Page-Cache"] == "miss" and first.has_header("Last-Modified")
    response = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert (response.status_code, response["X-Page-Cache"]) == (304, "hit")
