"""How the search finds agreements (the rule is municipalities.search's): by title, basic
policy, full text and items (field, title, its English, each party's part), and only public
agreements, by the words the public can read.

An agreement's own row holds the content being edited. While an amendment is drafted, or
after one was dropped before the councils saw it, that content is internal work: the public
reads the version in force (agreements.versions.public_content), and a word that only the
draft has must find nothing. Those agreements (few: only while an amendment is drafted) are
matched here against the content the public reads; every other public agreement by its row,
in SQL. What the public reads is agreements.selectors.public_contents.
"""

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from municipalities.search import Query, Related, SearchRule, found_in

from .models import Agreement, AgreementItem
from .selectors import public_contents, with_unpublished_content

ITEM_FIELDS = ("field", "title", "title_en", "central_city_part", "partner_part")

AGREEMENT_RULE = SearchRule(
    fields=("title", "basic_policy", "text"),
    related=(Related(AgreementItem, "agreement_id", ITEM_FIELDS),),
)


def _public_words(content: dict) -> str:
    """The text the public reads of an agreement (its public content), a field a line."""
    fields = [content["title"], content["basic_policy"], content["text"]]
    fields += [item.get(name) or "" for item in content["items"] for name in ITEM_FIELDS]
    return "\n".join(fields)


def _found_in_public_content(query: Query, today: datetime.date) -> list[int]:
    """The ids of the public agreements with unpublished content that the query finds in
    what the public reads (one query, or three, whatever their number)."""
    contents = public_contents(Agreement.objects.filter(is_public=True), today)
    return [pk for pk, content in contents.items() if found_in(_public_words(content), query)]


def agreements_listed() -> QuerySet[Agreement]:
    """Agreements as the search results show them: with their area (and its central cities,
    for its English name) and their parties."""
    return Agreement.objects.select_related(
        "area__central_city", "area__joint_central_city", "central_party", "partner"
    )


def public_agreements_found(
    query: Query, today: datetime.date | None = None
) -> QuerySet[Agreement]:
    """The public agreements the query finds, by what the public reads of them, in the
    order of the area, the partner's code and the central party's."""
    agreements = agreements_listed().filter(is_public=True)
    if not query.searchable:
        return agreements.none()
    by_row = AGREEMENT_RULE.condition(Agreement, query) & ~with_unpublished_content()
    by_public_content = Q(pk__in=_found_in_public_content(query, today or timezone.localdate()))
    return agreements.filter(by_row | by_public_content).order_by(
        "area__name", "partner__code", "central_party__code"
    )
