"""What every response carries in production, and the health check for load balancers."""

from unittest import mock

import pytest
from django.db import DatabaseError
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_pages_send_a_content_security_policy_and_a_permissions_policy(client):
    response = client.get("/")

    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "'unsafe-inline'" not in policy
    assert "camera=()" in response["Permissions-Policy"]


def test_healthz_answers_ok_when_the_database_answers(client):
    response = client.get("/healthz")

    assert response.status_code == 200 and response.content == b"ok\n"
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_503_when_the_database_does_not(client):
    with mock.patch("config.health.connection.cursor", side_effect=DatabaseError("down")):
        response = client.get("/healthz")

    assert response.status_code == 503


def test_healthz_is_reached_over_plain_http_even_when_https_is_required(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 301


@pytest.fixture
def public_urls():
    """Every kind of public page, export and feed of one area, in both languages."""
    from tests import factories

    agreement = factories.agreement_in_force()
    area = agreement.area
    factories.CooperationAreaFactory.create_batch(5)  # national files worth compressing
    project = factories.ProjectFactory(vision__area=area, vision__adopted=True)
    urls = [
        "/",
        "/areas.csv",
        "/areas.json",
        "/procedure/",
        area.get_absolute_url(),
        f"/areas/{area.slug}.json",
        f"/areas/{area.slug}/feed.atom",
        agreement.get_absolute_url(),
        f"/areas/{area.slug}/vision/",
        f"/areas/{area.slug}/vision/projects/{project.pk}/",
        reverse("public:municipality_detail", kwargs={"code": agreement.partner.code}),
    ]
    return urls + ["/en" + url for url in urls]


def test_an_anonymous_reader_gets_no_cookie_so_shared_caches_may_keep_the_page(client, public_urls):
    for url in public_urls:
        response = client.get(url)

        assert response.status_code == 200, url
        assert not response.cookies, f"{url} sets {list(response.cookies)}"
        assert "Accept-Language" not in response.get("Vary", ""), url


def test_public_pages_are_compressed_cacheable_and_answer_304(client, public_urls, settings):
    settings.PUBLIC_CACHE_SECONDS = 90
    for url in public_urls:
        response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")

        assert response["Content-Encoding"] == "gzip", url
        assert response["Cache-Control"] == "public, max-age=90", url
        etag = response["ETag"]
        again = client.get(url, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=etag)
        assert again.status_code == 304, url


def test_pages_of_signed_in_people_are_neither_public_nor_compressed(client):
    from tests import factories

    agreement = factories.agreement_in_force()
    client.force_login(factories.clerk(agreement.partner))

    for url in ("/desk/", agreement.get_absolute_url()):
        response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")

        assert response.status_code == 200
        assert "public" not in response.get("Cache-Control", ""), url
        assert not response.has_header("Content-Encoding"), url


def test_the_sign_in_page_holding_a_csrf_token_is_not_public(client):
    client.get("/accounts/login/")  # the CSRF cookie is set: the next page sets none

    response = client.get("/accounts/login/", HTTP_ACCEPT_ENCODING="gzip")

    assert "public" not in response.get("Cache-Control", "")
    assert not response.has_header("Content-Encoding")


def test_robots_txt_lets_the_public_record_be_indexed_but_not_the_staff_pages(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Disallow: /admin/" in lines and "Disallow: /en/desk/" in lines
    assert "Disallow: /" not in lines and not response.cookies
