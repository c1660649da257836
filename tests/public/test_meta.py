"""What a page says about itself to search engines, link previews and the browser's tab."""

import re

import pytest
from django.contrib.staticfiles import finders

from tests import factories

pytestmark = pytest.mark.django_db


def _meta(page: str, key: str, value: str) -> str:
    match = re.search(rf'<meta {key}="{re.escape(value)}" content="([^"]*)">', page)
    assert match, f"no {key}={value}"
    return match.group(1)


def test_every_page_has_a_description_open_graph_and_an_icon(client):
    page = client.get("/").content.decode()

    assert "連携中枢都市圏" in _meta(page, "name", "description")
    assert _meta(page, "property", "og:title")
    assert _meta(page, "property", "og:url") == "http://testserver/"
    assert _meta(page, "property", "og:locale") == "ja_JP"
    icon = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', page).group(1)
    assert finders.find(icon.removeprefix("/static/"))
    english = client.get("/en/").content.decode()
    assert _meta(english, "property", "og:locale") == "en_US"
    assert _meta(english, "property", "og:url") == "http://testserver/en/"


def test_an_agreement_page_describes_its_agreement(client):
    agreement = factories.agreement_in_force()

    page = client.get(agreement.get_absolute_url()).content.decode()

    description = _meta(page, "name", "description")
    assert agreement.partner.name in description and agreement.central_party.name in description
    assert _meta(page, "property", "og:title") == agreement.title


def test_the_favicon_address_leads_to_the_icon(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"].endswith("favicon.svg")
