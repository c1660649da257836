"""The iCalendar feeds of an area and of a municipality, read with a standard parser
(icalendar, RFC 5545): what is before the councils, resolved and taking effect, the vision's
public comment and roundtable, and nothing that is not on the public record. Every test sees
the Nagano demo, loaded once for the module."""

import datetime

import pytest
from icalendar import Calendar

from agreements import services
from agreements.status import ProcedureKind
from tests import factories
from vision.models import Vision, VisionStatus

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shared_demo")]

AREA = "/areas/nagano/calendar.ics"
IIZUNA = "205907"


def _events(client, url: str) -> list:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["VERSION"]) == "2.0" and calendar["PRODID"]
    events = calendar.walk("VEVENT")
    uids = [str(event["UID"]) for event in events]
    assert len(uids) == len(set(uids)), "each event has its own UID"
    for event in events:
        assert event["DTSTAMP"] and isinstance(event.decoded("DTSTART"), datetime.date)
        assert event.decoded("DTEND") > event.decoded("DTSTART")
    return events


def _by_summary(events, start: str) -> list:
    return [event for event in events if str(event["SUMMARY"]).startswith(start)]


def test_the_area_calendar_has_every_kind_of_event_of_the_demo(client):
    events = _events(client, AREA)

    submitted = _by_summary(events, "議会に提出：")
    # The eight conclusions and 飯綱町's amendment, on the days they went to the councils.
    assert len(submitted) == 9
    amendment = [e for e in submitted if "連携する取組の追加（防災）" in str(e["SUMMARY"])]
    assert [e.decoded("DTSTART") for e in amendment] == [datetime.date(2026, 11, 20)]
    assert str(amendment[0]["URL"]).startswith("http://testserver/areas/nagano/agreements/")
    assert len(_by_summary(events, "長野市議会：可決")) == 8
    assert len(_by_summary(events, "効力発生：")) == 8
    (comment,) = _by_summary(
        events, "長野地域スクラムビジョン（改定・サンプル）のパブリックコメント"
    )
    # The whole period: DTEND is the day after its last day.
    assert comment.decoded("DTSTART") == datetime.date(2021, 1, 15)
    assert comment.decoded("DTEND") == datetime.date(2021, 2, 15)
    assert len([e for e in events if "の懇談会" in str(e["SUMMARY"])]) >= 3


def test_the_calendar_speaks_the_language_of_its_address(client):
    events = _events(client, "/en" + AREA)

    assert _by_summary(events, "Before the councils: ")
    assert not _by_summary(events, "議会に提出：")
    assert all("/en/areas/nagano/" in str(event["URL"]) for event in events)


def test_a_procedure_being_drafted_and_a_draft_vision_are_in_no_calendar(client, shared_demo):
    agreement = shared_demo.agreements.get(partner__code="202070")
    services.procedure_start(
        agreement=agreement, kind=ProcedureKind.AMENDMENT, summary="内部で検討中の変更"
    )
    factories.VisionFactory(
        area=shared_demo,
        status=VisionStatus.DRAFT,
        title="内部の下書き",
        comment_starts_on=datetime.date(2027, 1, 10),
        comment_ends_on=datetime.date(2027, 2, 9),
    )

    for url in (AREA, f"/municipalities/{agreement.partner.code}/calendar.ics"):
        summaries = " ".join(str(event["SUMMARY"]) for event in _events(client, url))
        assert "内部で検討中の変更" not in summaries
        assert "内部の下書き" not in summaries


def test_a_municipality_calendar_has_its_own_agreements_and_its_areas_vision(client):
    events = _events(client, f"/municipalities/{IIZUNA}/calendar.ics")

    parties = " ".join(str(event["SUMMARY"]) for event in events)
    assert "長野市と飯綱町" in parties
    assert "須坂市" not in parties  # another partner's agreement is not its business
    assert _by_summary(events, "長野地域スクラムビジョン（改定・サンプル）のパブリックコメント")
    assert client.get("/municipalities/999999/calendar.ics").status_code == 404


def test_the_pages_link_their_calendars(client):
    area = client.get("/areas/nagano/").content.decode()
    municipality = client.get(f"/municipalities/{IIZUNA}/").content.decode()

    assert f'href="{AREA}"' in area
    assert f'href="/municipalities/{IIZUNA}/calendar.ics"' in municipality


@pytest.mark.parametrize("more", [0, 10])
def test_calendar_queries_do_not_grow(client, django_assert_num_queries, shared_demo, more):
    for _ in range(more):
        factories.agreement_in_force(area=shared_demo)
        factories.RoundtableMeetingFactory(vision=Vision.objects.filter(area=shared_demo).first())

    # submissions; effects; resolutions; visions in public comment; roundtable meetings
    with django_assert_num_queries(6):
        client.get(AREA)
    with django_assert_num_queries(6):
        client.get(f"/municipalities/{IIZUNA}/calendar.ics")
