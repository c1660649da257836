"""The public search page, /search/?q=: areas, municipalities, agreements, projects and
indicators that every word of the query finds (the rule: municipalities.search), grouped by
kind; drafts are never found (each kind's finder starts from the public record).

The page lists SHOWN_PER_KIND results of each kind with their number, and links to all
results of one kind (&kind=), PER_PAGE at a time. Its queries do not grow with the results:
two per kind that has any (their ids, then the page's records), one or three for the
agreements whose amendment is being drafted (agreements.search) and as many for the titles
the page shows of the agreements (agreements.selectors.with_public_titles), and, when a
word has Latin letters and the cache does not have them, one for the computed English names
of municipalities and one for those of areas.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from agreements.search import agreements_listed, public_agreements_found
from agreements.selectors import with_public_titles
from municipalities.search import (
    MAX_QUERY_LENGTH,
    areas_found,
    areas_listed,
    municipalities_found,
    municipalities_listed,
    parse,
)
from vision.search import (
    indicators_listed,
    projects_listed,
    public_indicators_found,
    public_projects_found,
)

# Results shown of each kind on the page of all kinds, and per page of one kind.
SHOWN_PER_KIND = 20
PER_PAGE = 50

# Each kind's key (as in &kind=), heading, finder and the records as listed, in the order
# the page shows them.
KINDS = {
    "areas": (_("Cooperation areas"), areas_found, areas_listed),
    "municipalities": (_("Municipalities"), municipalities_found, municipalities_listed),
    "agreements": (_("Agreements"), public_agreements_found, agreements_listed),
    "projects": (_("Projects"), public_projects_found, projects_listed),
    "indicators": (_("Indicators"), public_indicators_found, indicators_listed),
}

# What a kind's records need before the page shows them: an agreement its public title.
SHOWN = {"agreements": with_public_titles}

# What the page offers to try when nothing is typed.
EXAMPLES = ("観光", "ながの", "202011", "tourism")


@dataclass
class ResultGroup:
    """The results of one kind: a page of them, their number, how many more there are and
    where all of them are listed."""

    kind: str
    label: str
    page: Page
    more_url: str

    @property
    def count(self) -> int:
        return self.page.paginator.count

    @property
    def more(self) -> int:
        return self.count - len(self.page.object_list)


def _page(found: QuerySet, listed: QuerySet, size: int, number) -> Page:
    """A page of what was found, in two queries whatever their number: the ids of all of
    them in order (the search runs once, and gives their number), then the page's records
    as `listed` reads them."""
    ids = list(found.values_list("pk", flat=True))
    page = Paginator(ids, size).get_page(number)
    records = listed.in_bulk(page.object_list)
    page.object_list = [records[pk] for pk in page.object_list]
    return page


def search(request):
    """Search the public record.

    Template: public/search.html; context: query (municipalities.search.Query), kind (the
    one kind listed alone, or None), groups (ResultGroup per kind, none without a query),
    total (results of all kinds), pager_query (the query string the pager's links keep),
    all_kinds_url (the query's results of every kind),
    examples, max_length.
    """
    query = parse(request.GET.get("q"))
    kind = request.GET.get("kind")
    if kind not in KINDS:
        kind = None
    groups = []
    if query.searchable:
        for key, (label, find, listed) in KINDS.items():
            if kind is not None and key != kind:
                continue
            size, number = (PER_PAGE, request.GET.get("page")) if kind else (SHOWN_PER_KIND, 1)
            page = _page(find(query), listed(), size, number)
            if key in SHOWN:
                SHOWN[key](page.object_list)
            more_url = "?" + urlencode({"q": query.text, "kind": key})
            groups.append(ResultGroup(key, label, page, more_url))
    context = {
        "query": query,
        "kind": kind,
        "groups": groups,
        "total": sum(group.count for group in groups),
        "pager_query": urlencode({"q": query.text, "kind": kind or ""}),
        "all_kinds_url": "?" + urlencode({"q": query.text}),
        "examples": [(example, "?" + urlencode({"q": example})) for example in EXAMPLES],
        "max_length": MAX_QUERY_LENGTH,
    }
    return render(request, "public/search.html", context)
