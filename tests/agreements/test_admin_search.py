"""The admin's search of agreements: the site's search rule (agreements.search), drafts
included, and the admin's own fields (the partner's name and code)."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db

AGREEMENTS = "/admin/agreements/agreement/"


def _listed(client, query: str) -> list:
    response = client.get(AGREEMENTS, {"q": query})
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


@pytest.fixture
def agreements(db):
    """A public agreement and a draft, each with an item."""
    public = factories.AgreementFactory(title="連携協約（テスト・公開）")
    factories.AgreementItemFactory(
        agreement=public, field="観光", title="外国人観光客誘致促進事業", title_en="Inbound tourism"
    )
    draft = factories.AgreementFactory(internal=True, title="連携協約（テスト・下書き）")
    factories.AgreementItemFactory(agreement=draft, field="医療", partner_part="救急医療を担う。")
    return public, draft


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("観光客誘致", ["public"]),  # a word inside an item's title
        ("TOURISM", ["public"]),  # its English title, case aside
        ("救急医療", ["draft"]),  # staff find drafts too
        ("連携協約 下書き", ["draft"]),  # every word
        ("連携協約 医療", ["draft"]),  # each word in any field: the title, an item
        ("テスト", ["public", "draft"]),
        ("観光 救急", []),
    ],
)
def test_admin_finds_agreements_by_the_search_rule(admin_client, agreements, query, expected):
    public, draft = agreements
    named = {"public": public, "draft": draft}

    assert _listed(admin_client, query) == [named[key] for key in expected]


def test_admin_still_finds_an_agreement_by_its_partner(admin_client, agreements):
    public, _draft = agreements

    assert _listed(admin_client, public.partner.code) == [public]
    assert _listed(admin_client, f"{public.partner.name} 観光") == [public]
