"""The Atom feeds of an area and of a municipality: every kind of event, each linked to where
its page shows it, in both languages, valid Atom, read in a fixed number of queries."""

import datetime
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from django.utils.translation import gettext
from lxml import etree

from agreements import services
from agreements.models import Procedure
from agreements.status import ProcedureKind, Result
from tests import factories
from tests.factories import EFFECTIVE_ON, RESOLVED_ON
from vision.models import VisionStatus

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
NAMESPACES = {"atom": "http://www.w3.org/2005/Atom"}
SCHEMATRON = "{http://www.ascc.net/xml/schematron}"
SCHEMA = Path(__file__).with_name("atom.rng")
# RFC 3339 §5.6 date-time: the offset is required (xsd:dateTime, the schema's type, has it
# optional).
RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)", re.IGNORECASE)
NAGANO, SUZAKA, NAKANO = "202011", "202070", "202118"  # the central city, a partner, an outsider


def atom_problems(body: bytes) -> list[str]:
    """Why a document is not a valid Atom feed (RFC 4287), or nothing: its RELAX NG schema
    (Appendix B), the Schematron rules the schema carries (an author for every entry, from
    the feed or its own; a link or content in each), and what no schema says: ids are
    absolute IRIs (§4.2.6), unique among the entries, and dates are RFC 3339 (§3.3)."""
    schema = etree.parse(SCHEMA)
    relaxng = etree.RelaxNG(schema)
    feed = etree.fromstring(body)
    problems = [] if relaxng.validate(feed) else [str(e) for e in relaxng.error_log]
    for rule in schema.iter(f"{SCHEMATRON}rule"):
        for node in feed.getroottree().xpath(f"//{rule.get('context')}", namespaces=NAMESPACES):
            for check in rule.iter(f"{SCHEMATRON}assert"):
                if not node.xpath(f"boolean({check.get('test')})", namespaces=NAMESPACES):
                    problems.append(check.text)
    ids = [e.text for e in feed.findall(f"{ATOM}entry/{ATOM}id")]
    problems += [f"id used twice: {i}" for i in sorted({i for i in ids if ids.count(i) > 1})]
    for atom_id in [*ids, feed.findtext(f"{ATOM}id")]:
        parts = urlsplit(atom_id or "")
        if not (parts.scheme and parts.netloc):
            problems.append(f"id not an absolute IRI: {atom_id}")
    for date in feed.iter(f"{ATOM}updated", f"{ATOM}published"):
        if not RFC3339.fullmatch(date.text or ""):
            problems.append(f"not an RFC 3339 date: {date.text}")
    return problems


def _entries(client, url: str) -> list[ET.Element]:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content).findall(f"{ATOM}entry")


def _links(entries) -> list[str]:
    return [e.find(f"{ATOM}link").get("href") for e in entries]


def _summary(entry) -> str:
    return entry.find(f"{ATOM}summary").text or ""


# Valid Atom ----------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["", "/en"])
def test_every_feed_of_the_demo_is_valid_atom(client, language, shared_demo):
    urls = [
        f"{language}/areas/nagano/feed.atom",
        *(f"{language}/municipalities/{code}/feed.atom" for code in (NAGANO, SUZAKA, NAKANO)),
    ]

    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert atom_problems(response.content) == [], url


def test_atom_problems_names_what_breaks_rfc_4287():
    def feed(*, author="<author><name>長野市</name></author>", entries=""):
        return (
            '<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>'
            "<id>http://testserver/areas/nagano/</id>"
            f"<updated>2026-11-20T00:00:00+09:00</updated>{author}{entries}</feed>"
        ).encode()

    def entry(atom_id="http://testserver/a#1", updated="2026-11-20T00:00:00+09:00"):
        return (
            f'<entry><title>t</title><link href="{atom_id}"/><id>{atom_id}</id>'
            f"<updated>{updated}</updated></entry>"
        )

    assert atom_problems(feed(entries=entry())) == []
    assert atom_problems(feed(author="")) == []  # no entry that lacks one
    assert atom_problems(feed(author="", entries=entry())) == [
        "An atom:feed must have an atom:author unless all of its atom:entry children have an "
        "atom:author.",
        "An atom:entry must have an atom:author if its feed does not.",
    ]
    assert atom_problems(feed(entries=entry() + entry())) == [
        "id used twice: http://testserver/a#1"
    ]
    assert atom_problems(feed(entries=entry(atom_id="/a#1"))) == ["id not an absolute IRI: /a#1"]
    assert atom_problems(feed(entries=entry(updated="2026-11-20T00:00:00"))) == [
        "not an RFC 3339 date: 2026-11-20T00:00:00"
    ]
    without_updated = feed().replace(b"<updated>2026-11-20T00:00:00+09:00</updated>", b"")
    assert any("updated" in problem for problem in atom_problems(without_updated))


# The area's feed -----------------------------------------------------------------------------


def test_area_feed_lists_every_kind_of_event_newest_first(client, shared_demo):
    entries = _entries(client, "/areas/nagano/feed.atom")

    # Each of the eight conclusions submitted, passed by two councils, signed, taking effect
    # and given notice of by both parties; the amendment before the councils submitted; both
    # visions put to public comment and adopted.
    links = _links(entries)
    assert len(entries) == 8 * 7 + 1 + 2 * 2
    kinds = {
        "submitted": sum(link.endswith("-submitted") for link in links),
        "resolution": sum("#resolution-" in link for link in links),
        "signed": sum(link.endswith("-signed") for link in links),
        "effect": sum(re.search(r"#procedure-\d+$", link) is not None for link in links),
        "notice": sum("-notice-" in link for link in links),
        "adopted": sum(link.endswith("#adopted") for link in links),
        "comment": sum(link.endswith("#comment-h") for link in links),
    }
    assert kinds == {
        "submitted": 9,
        "resolution": 16,
        "signed": 8,
        "effect": 8,
        "notice": 16,
        "adopted": 2,
        "comment": 2,
    }
    first = entries[0]
    assert first.find(f"{ATOM}title").text.startswith("議会に提出：変更：")
    assert "改正箇所：第5条、別表第3" in _summary(first)
    assert first.find(f"{ATOM}updated").text == "2026-11-20T00:00:00+09:00"
    assert (
        entries[1].find(f"{ATOM}title").text
        == "ビジョン策定：長野地域スクラムビジョン（改定・サンプル）"
    )
    days = [e.find(f"{ATOM}updated").text for e in entries]
    assert days == sorted(days, reverse=True)


def test_area_feed_entries_link_to_where_their_pages_show_them(client, shared_demo):
    entries = _entries(client, "/areas/nagano/feed.atom")

    pages = {}
    for entry in entries:
        link = entry.find(f"{ATOM}link").get("href")
        assert entry.find(f"{ATOM}id").text == link
        page, anchor = link.removeprefix("http://testserver").split("#")
        if page not in pages:
            response = client.get(page)
            assert response.status_code == 200, page
            pages[page] = response.content.decode()
        assert f'id="{anchor}"' in pages[page], link
    assert len(pages) == 8 + 2  # the agreements' pages and both versions of the vision


def test_area_feed_names_public_notices_and_what_an_amendment_changes(client, shared_demo):
    amendment = Procedure.objects.get(kind=ProcedureKind.AMENDMENT)
    agreement = amendment.agreement
    today = timezone.localdate()
    for council in (agreement.central_party, agreement.partner):
        services.resolution_record(
            procedure=amendment,
            municipality=council,
            session="令和8年11月臨時会",
            bill_number="議案第1号",
            resolved_on=today,
            result=Result.PASSED,
        )
    amendment.central_notice_number = "長野市告示第321号"
    services.procedure_put_into_effect(
        procedure=amendment, effective_on=today, central_notice_on=today, partner_notice_on=today
    )

    entries = _entries(client, "/areas/nagano/feed.atom")

    titles = [e.find(f"{ATOM}title").text for e in entries[:3]]
    assert titles == [
        "飯綱町の告示：変更：連携する取組の追加（防災）（飯綱町）",
        "長野市の告示：変更：連携する取組の追加（防災）（飯綱町）",
        "効力発生：変更：連携する取組の追加（防災）（飯綱町）",
    ]
    assert _links(entries[:2]) == [
        f"http://testserver{agreement.get_absolute_url()}#procedure-{amendment.pk}-notice-205907",
        f"http://testserver{agreement.get_absolute_url()}#procedure-{amendment.pk}-notice-{NAGANO}",
    ]
    assert "長野市告示第321号" in _summary(entries[1])
    assert "長野市告示第321号" not in _summary(entries[0])
    for entry in entries[:3]:
        assert "改正箇所：第5条、別表第3" in _summary(entry)


def test_feed_marks_the_sample_values_its_entry_shows(client, shared_demo):
    sample = gettext("Sample values, invented for the demo.")

    entries = _entries(client, f"/municipalities/{SUZAKA}/feed.atom")

    by_link = {
        link.rsplit("#", 1)[1]: entry for link, entry in zip(_links(entries), entries, strict=True)
    }
    conclusion = Procedure.objects.get(agreement__partner__code=SUZAKA).pk
    # Invented: the day of submission; recorded: the day the heads signed it, at one ceremony.
    assert sample in _summary(by_link[f"procedure-{conclusion}-submitted"])
    assert sample not in _summary(by_link[f"procedure-{conclusion}-signed"])


def test_area_feed_leaves_out_what_is_not_on_the_public_record(client):
    agreement = factories.agreement_in_force()
    area = agreement.area
    services.procedure_start(
        agreement=agreement, kind=ProcedureKind.AMENDMENT, summary="検討中の変更"
    )
    factories.VisionFactory(
        area=area,
        title="内部検討中のビジョン",
        adopted_on=RESOLVED_ON,
        comment_starts_on=RESOLVED_ON,
        comment_ends_on=EFFECTIVE_ON,
    )
    in_comment = factories.VisionFactory(
        area=area,
        title="意見募集中のビジョン案",
        status=VisionStatus.PUBLIC_COMMENT,
        comment_starts_on=EFFECTIVE_ON,
        comment_ends_on=EFFECTIVE_ON + datetime.timedelta(days=30),
    )
    future = timezone.localdate() + datetime.timedelta(days=1)
    factories.VisionFactory(
        area=area,
        title="来月に意見募集のビジョン案",
        status=VisionStatus.PUBLIC_COMMENT,
        comment_starts_on=future,
        comment_ends_on=future + datetime.timedelta(days=30),
    )

    entries = _entries(client, f"/areas/{area.slug}/feed.atom")

    text = " ".join(f"{e.find(f'{ATOM}title').text} {_summary(e)}" for e in entries)
    assert "検討中の変更" not in text
    assert "内部検討中のビジョン" not in text and "来月に意見募集" not in text
    vision_links = [link for link in _links(entries) if "/vision/" in link]
    assert vision_links == [f"http://testserver{in_comment.get_absolute_url()}#comment-h"]
    assert "2016年3月29日～2016年4月28日" in text


# The municipality's feed ---------------------------------------------------------------------


def test_municipality_feed_has_its_agreements_and_the_visions_of_its_areas(client):
    as_central = factories.agreement_in_force()
    city = as_central.area.central_city
    other_area = factories.CooperationAreaFactory()
    factories.AreaMembershipFactory(area=other_area, municipality=city)
    as_partner = factories.agreement_in_force(area=other_area, partner=city)
    left_area = factories.AreaMembershipFactory(municipality=city, left=True).area
    elsewhere = factories.agreement_in_force()
    internal = factories.AgreementFactory(area=as_central.area, internal=True)
    visions = {
        area: factories.VisionFactory(area=area, adopted=True)
        for area in (as_central.area, other_area, left_area, elsewhere.area)
    }

    entries = _entries(client, f"/municipalities/{city.code}/feed.atom")

    pages = {link.split("#")[0].removeprefix("http://testserver") for link in _links(entries)}
    assert pages == {
        as_central.get_absolute_url(),
        as_partner.get_absolute_url(),
        visions[as_central.area].get_absolute_url(),
        visions[other_area].get_absolute_url(),
    }
    assert internal.get_absolute_url() not in pages
    # Each agreement submitted, passed by two councils and in effect; each vision adopted.
    assert len(entries) == 2 * 4 + 2


def test_municipality_feed_of_one_outside_every_area_is_empty_and_of_none_not_found(client):
    outsider = factories.MunicipalityFactory()

    assert _entries(client, f"/municipalities/{outsider.code}/feed.atom") == []
    assert client.get("/municipalities/999999/feed.atom").status_code == 404


def test_municipality_page_links_its_feed(client, shared_demo):
    japanese = client.get(f"/municipalities/{SUZAKA}/").content.decode()
    english = client.get(f"/en/municipalities/{SUZAKA}/").content.decode()

    for page, prefix, title in (
        (japanese, "", "：手続の記録"),
        (english, "/en", ": procedure events"),
    ):
        url = f"{prefix}/municipalities/{SUZAKA}/feed.atom"
        link = re.search(r'<link rel="alternate" type="application/atom\+xml"[^>]*>', page)
        assert f'href="{url}"' in link[0] and f'{title}">' in link[0]
        assert f'<a href="{url}">' in page


# Languages -----------------------------------------------------------------------------------


@pytest.mark.parametrize("feed", ["/areas/nagano/feed.atom", f"/municipalities/{NAGANO}/feed.atom"])
@pytest.mark.parametrize(
    ("prefix", "language", "title", "submitted"),
    [
        ("", "ja", "：手続の記録", "議会に提出：変更："),
        ("/en", "en", ": procedure events", "Submitted to the councils: Amendment (変更): "),
    ],
)
def test_feeds_follow_the_language_of_their_address(
    client, feed, prefix, language, title, submitted, shared_demo
):

    root = ET.fromstring(client.get(f"{prefix}{feed}").content)

    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == language
    assert root.findtext(f"{ATOM}title").endswith(title)
    entries = root.findall(f"{ATOM}entry")
    assert entries[0].findtext(f"{ATOM}title").startswith(submitted)
    addresses = [
        *_links(entries),
        *(e.findtext(f"{ATOM}id") for e in entries),
        *(link.get("href") for link in root.findall(f"{ATOM}link")),
        root.findtext(f"{ATOM}author/{ATOM}uri"),
    ]
    assert all(a.startswith("http://testserver/") for a in addresses)
    in_english = [a.startswith("http://testserver/en/") for a in addresses]
    assert all(in_english) if language == "en" else not any(in_english)


# Queries -------------------------------------------------------------------------------------


def _grow(area, agreements: int) -> None:
    """More agreements in the area, each concluded, signed, given notice of and with an
    amendment before the councils, and more visions; as many agreements in another area."""
    elsewhere = factories.CooperationAreaFactory()
    for _ in range(agreements):
        agreement = factories.agreement_in_force(area=area)
        Procedure.objects.filter(agreement=agreement).update(
            signed_on=EFFECTIVE_ON, central_notice_on=EFFECTIVE_ON, partner_notice_on=EFFECTIVE_ON
        )
        factories.ProcedureFactory(
            agreement=agreement, amendment=True, proposed_on=datetime.date(2020, 4, 1)
        )
        factories.agreement_in_force(area=elsewhere)
    for _ in range(agreements // 10):
        for place in (area, elsewhere):
            factories.VisionFactory(
                area=place,
                status=VisionStatus.SUPERSEDED,
                adopted_on=EFFECTIVE_ON,
                comment_starts_on=RESOLVED_ON,
                comment_ends_on=EFFECTIVE_ON,
            )


@pytest.mark.parametrize("more", [0, 40])
@pytest.mark.parametrize(
    ("feed", "queries"),
    [("/areas/nagano/feed.atom", 12), (f"/municipalities/{NAGANO}/feed.atom", 12)],
)
def test_feed_queries_do_not_grow(
    client, django_assert_num_queries, feed, queries, more, shared_demo
):
    area = shared_demo
    _grow(area, more)

    # the area or municipality; the latest submissions; resolutions; signings; procedures in
    # effect with their resolutions; each party's notices; the amendments' agreements'
    # procedures; the agreements being amended (for the titles the public reads); the visions
    # adopted; the visions put to public comment
    with django_assert_num_queries(queries):
        entries = _entries(client, feed)

    assert len(entries) == (61 if more == 0 else 100)


@pytest.mark.parametrize("agreements", [3, 40])
def test_area_feed_reads_only_its_latest_entries(
    client, django_assert_num_queries, agreements, monkeypatch
):
    monkeypatch.setattr("public.feeds.MAX_EVENTS", 30)
    area = factories.CooperationAreaFactory()
    for n in range(agreements):
        agreement = factories.agreement_in_force(area=area)
        procedure = agreement.procedures.get()
        procedure.resolutions.update(resolved_on=factories.RESOLVED_ON + datetime.timedelta(n))
        procedure.effective_on = factories.EFFECTIVE_ON + datetime.timedelta(n)
        procedure.save()

    # the area; the latest submissions; resolutions; signings; procedures in effect with
    # their resolutions; each party's notices; the agreements being amended (for the titles
    # the public reads); the visions adopted and put to public comment
    with django_assert_num_queries(11) as captured:
        response = client.get(f"/areas/{area.slug}/feed.atom")

    latest = [q["sql"] for q in captured.captured_queries if "ORDER BY" in q["sql"]]
    assert sum("LIMIT 30" in sql for sql in latest) == 8

    entries = ET.fromstring(response.content).findall(f"{ATOM}entry")
    assert len(entries) == min(30, agreements * 4)
    days = [e.find(f"{ATOM}updated").text for e in entries]
    assert days == sorted(days, reverse=True)
    newest = str(factories.EFFECTIVE_ON + datetime.timedelta(agreements - 1))
    assert days[0].startswith(newest)
    assert "#procedure-" in entries[0].find(f"{ATOM}link").get("href")


# Moved from test_exports ---------------------------------------------------------------------


def test_area_feed_escapes_what_clerks_typed(client):
    agreement = factories.agreement_in_force()
    factories.CouncilResolutionFactory(
        procedure=agreement.procedures.get(),
        by_central_city=True,
        rejected=True,
        resolved_on=factories.RESOLVED_ON,
        session="<img src=x onerror=alert(1)>",
    )

    body = client.get(f"/areas/{agreement.area.slug}/feed.atom").content.decode()

    assert "&lt;img" not in body.replace("&amp;lt;img", "")  # escaped once more inside HTML
    assert "&amp;lt;img src=x onerror=alert(1)&amp;gt;" in body


def test_area_feed_entry_ids_are_links_to_the_events(client):
    agreement = factories.agreement_in_force()

    feed = ET.fromstring(client.get(f"/areas/{agreement.area.slug}/feed.atom").content)

    ids = [e.find(f"{ATOM}id").text for e in feed.findall(f"{ATOM}entry")]
    assert all(i.startswith("http://testserver/areas/") for i in ids)
    assert sum("#resolution-" in i for i in ids) == 2
    procedure = agreement.procedures.get().pk
    assert {i.split("#")[1] for i in ids if "#procedure-" in i} == {
        f"procedure-{procedure}-submitted",
        f"procedure-{procedure}",
    }
    # Each is an anchor on the agreement's page.
    page = client.get(agreement.get_absolute_url()).content.decode()
    assert f'id="procedure-{procedure}-submitted"' in page and f'id="procedure-{procedure}"' in page


def test_area_feed_puts_the_effect_after_the_resolutions_of_the_same_day(client):
    agreement = factories.agreement_in_force()
    procedure = agreement.procedures.get()
    procedure.effective_on = factories.RESOLVED_ON
    procedure.save()

    feed = ET.fromstring(client.get(f"/areas/{agreement.area.slug}/feed.atom").content)

    links = [e.find(f"{ATOM}link").get("href") for e in feed.findall(f"{ATOM}entry")]
    assert links[0].endswith(f"#procedure-{procedure.pk}")
    assert all("#resolution-" in link for link in links[1:3])
    assert links[3].endswith(f"#procedure-{procedure.pk}-submitted")
