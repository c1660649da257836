"""The clerk's desk: recording one's own council's resolutions, and nothing else."""

import datetime
import io
import re

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from pypdf import PdfWriter

from agreements import services
from agreements.models import (
    ERROR_DOCUMENT_NOT_PDF,
    ERROR_DOCUMENT_OR_REASON,
    ERROR_RESOLUTION_AFTER_EFFECT,
    ERROR_RESOLUTION_AFTER_PASSED,
    ERROR_RESOLUTION_BEFORE_PREVIOUS,
    ERROR_RESOLUTION_BEFORE_PROPOSAL,
    ERROR_RESOLUTION_IN_FUTURE,
    Agreement,
    CouncilResolution,
)
from agreements.status import AgreementStatus, Result
from municipalities.models import StaffRole
from municipalities.validators import ERROR_LINE_BREAK
from public import demo
from tests import factories
from tests.factories import EFFECTIVE_ON, PROPOSED_ON, RESOLVED_ON

pytestmark = pytest.mark.django_db

PDF = demo.sample_pdf("Resolution")
REASON = "議決書は議会事務局から届き次第掲載します。"


def _planning_staff(area, email="plan@example.jp"):
    user = factories.UserFactory(email=email, is_staff=True)
    StaffRole.objects.create(
        user=user, kind=StaffRole.Kind.PLANNING_STAFF, municipality=area.central_city
    )
    return user


@pytest.fixture
def procedure():
    """A conclusion before both councils; its partner has a clerk."""
    return factories.ProcedureFactory()


@pytest.fixture
def clerk_client(client, procedure):
    client.force_login(factories.clerk(procedure.agreement.partner, email="clerk@example.jp"))
    return client


def _form(**overrides):
    data = {
        "session": "令和8年3月定例会",
        "bill_number": "議案第12号",
        "resolved_on": RESOLVED_ON.isoformat(),
        "result": Result.PASSED,
        "document_pending": REASON,
        "note": "",
    }
    return data | overrides


def test_desk_lists_what_waits_for_the_clerks_council(clerk_client, procedure):
    response = clerk_client.get("/desk/")

    assert response.status_code == 200
    assert response.context["waiting"] == [procedure]
    assert procedure.agreement.title in response.content.decode()


def test_clerk_records_a_pass_and_the_public_page_shows_it(clerk_client, procedure):
    _planning_staff(procedure.agreement.area)

    with_upload = _form() | {"document": SimpleUploadedFile("gi.pdf", PDF, "application/pdf")}
    response = clerk_client.post(f"/desk/procedures/{procedure.pk}/resolutions/new/", with_upload)

    assert response.status_code == 302
    resolution = CouncilResolution.objects.get()
    assert resolution.municipality == procedure.agreement.partner
    assert resolution.history.get().history_user.staff_role.kind == StaffRole.Kind.CLERK
    page = clerk_client.get(procedure.agreement.get_absolute_url()).content.decode()
    assert "議案第12号" in page
    assert f"/resolutions/{resolution.pk}/document.pdf" in page
    assert procedure.agreement.status() == AgreementStatus.IN_COUNCIL
    assert clerk_client.get("/desk/").context["waiting"] == []


def test_recording_mails_the_areas_planning_staff_after_commit(
    clerk_client, procedure, django_capture_on_commit_callbacks
):
    _planning_staff(procedure.agreement.area, email="plan@nagano.example.jp")

    with django_capture_on_commit_callbacks(execute=True):
        clerk_client.post(f"/desk/procedures/{procedure.pk}/resolutions/new/", _form())

    (message,) = mail.outbox
    assert message.to == ["plan@nagano.example.jp"]
    assert procedure.agreement.partner.name in message.subject
    assert "議案第12号" in message.body


def test_no_mail_when_the_transaction_rolls_back(procedure, django_capture_on_commit_callbacks):
    _planning_staff(procedure.agreement.area)
    clerk = factories.clerk(procedure.agreement.partner)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                services.resolution_record(
                    procedure=procedure,
                    municipality=procedure.agreement.partner,
                    session="3月定例会",
                    bill_number="議案第1号",
                    resolved_on=RESOLVED_ON,
                    result=Result.PASSED,
                    user=clerk,
                )
                raise RuntimeError("something later failed")
        except RuntimeError:
            pass

    assert callbacks == []
    assert mail.outbox == []
    assert not CouncilResolution.objects.exists()


def test_submitting_a_procedure_mails_the_partners_clerks(django_capture_on_commit_callbacks):
    procedure = factories.ProcedureFactory(drafting=True)
    factories.clerk(procedure.agreement.partner, email="suzaka@example.jp")
    factories.clerk(factories.MunicipalityFactory(), email="other@example.jp")

    with django_capture_on_commit_callbacks(execute=True):
        procedure.proposed_on = PROPOSED_ON
        services.procedure_save(procedure=procedure, user=None)
        services.procedure_save(procedure=procedure, user=None)  # no second mail

    (message,) = mail.outbox
    assert message.to == ["suzaka@example.jp"]
    assert "/desk/" in message.body


def test_desk_refuses_bad_input_with_the_field_named_and_saves_nothing(clerk_client, procedure):
    day_before = (PROPOSED_ON - datetime.timedelta(1)).isoformat()
    not_pdf = SimpleUploadedFile("gi.pdf", b"hello", "application/pdf")

    response = clerk_client.post(
        f"/desk/procedures/{procedure.pk}/resolutions/new/",
        _form(resolved_on=day_before, bill_number="") | {"document": not_pdf},
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["bill_number"]
    assert form.errors["document"] == [str(ERROR_DOCUMENT_NOT_PDF)]
    assert not CouncilResolution.objects.exists()

    response = clerk_client.post(
        f"/desk/procedures/{procedure.pk}/resolutions/new/", _form(resolved_on=day_before)
    )
    assert response.context["form"].errors["resolved_on"] == [
        str(ERROR_RESOLUTION_BEFORE_PROPOSAL % {"date": PROPOSED_ON})
    ]
    assert not CouncilResolution.objects.exists()


def _encrypted(pdf: bytes) -> bytes:
    """The PDF with printing and copying restricted by an owner password, as many 議決書 are."""
    writer = PdfWriter(clone_from=io.BytesIO(pdf))
    writer.encrypt(user_password="", owner_password="owner", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("content", "accepted"),
    [
        (PDF, True),
        (_encrypted(PDF), True),
        (b"%PDF-1.4\n%%EOF\n", False),  # starts like a PDF, has no page
        (PDF[: len(PDF) // 2], False),  # cut off
        (b"%PDF-" + b"\x00" * 200, False),
    ],
)
def test_only_a_readable_pdf_is_accepted_as_the_resolution_document(
    clerk_client, procedure, content, accepted
):
    upload = SimpleUploadedFile("gi.pdf", content, "application/pdf")

    response = clerk_client.post(
        f"/desk/procedures/{procedure.pk}/resolutions/new/", _form() | {"document": upload}
    )

    assert CouncilResolution.objects.exists() is accepted
    if not accepted:
        assert response.context["form"].errors["document"] == [str(ERROR_DOCUMENT_NOT_PDF)]


def test_a_result_needs_the_document_or_the_reason_it_is_missing(clerk_client, procedure):
    url = f"/desk/procedures/{procedure.pk}/resolutions/new/"

    response = clerk_client.post(url, _form(document_pending="  "))

    assert response.context["form"].errors["document"] == [str(ERROR_DOCUMENT_OR_REASON)]
    assert not CouncilResolution.objects.exists()
    assert clerk_client.post(url, _form()).status_code == 302
    assert CouncilResolution.objects.get().document_pending == REASON
    page = clerk_client.get(procedure.agreement.get_absolute_url()).content.decode()
    assert REASON in page


def test_a_correction_keeps_the_attached_document(clerk_client, procedure):
    upload = SimpleUploadedFile("gi.pdf", PDF, "application/pdf")
    url = f"/desk/procedures/{procedure.pk}/resolutions/new/"
    clerk_client.post(url, _form(document_pending="") | {"document": upload})
    resolution = CouncilResolution.objects.get()

    url = f"/desk/resolutions/{resolution.pk}/"
    token = factories.loaded_token(clerk_client, url)
    response = clerk_client.post(url, _form(document_pending="", bill_number="議案第13号") | token)

    assert response.status_code == 302
    resolution.refresh_from_db()
    assert resolution.bill_number == "議案第13号" and resolution.document


def test_desk_form_fills_in_no_date(clerk_client, procedure):
    response = clerk_client.get(f"/desk/procedures/{procedure.pk}/resolutions/new/")

    assert response.context["form"]["resolved_on"].value() is None
    assert re.search(
        r'<input type="date" name="resolved_on"(?![^>]*value=)', response.content.decode()
    )


def test_a_resolution_dated_in_the_future_is_refused_and_today_is_accepted(clerk_client, procedure):
    today = timezone.localdate()
    url = f"/desk/procedures/{procedure.pk}/resolutions/new/"

    response = clerk_client.post(
        url, _form(resolved_on=(today + datetime.timedelta(1)).isoformat())
    )

    assert response.context["form"].errors["resolved_on"] == [
        str(ERROR_RESOLUTION_IN_FUTURE % {"today": today})
    ]
    assert not CouncilResolution.objects.exists()
    assert clerk_client.post(url, _form(resolved_on=today.isoformat())).status_code == 302
    assert CouncilResolution.objects.get().resolved_on == today


def test_after_an_error_the_page_says_to_choose_the_pdf_again(clerk_client, procedure):
    with_upload = _form(bill_number="") | {
        "document": SimpleUploadedFile("gi.pdf", PDF, "application/pdf")
    }

    response = clerk_client.post(f"/desk/procedures/{procedure.pk}/resolutions/new/", with_upload)

    assert response.status_code == 200
    assert "もう一度PDFを選んで" in response.content.decode()


@pytest.mark.parametrize("field", ["bill_number", "session"])
def test_a_line_break_in_a_one_line_field_is_refused(clerk_client, procedure, field):
    response = clerk_client.post(
        f"/desk/procedures/{procedure.pk}/resolutions/new/",
        _form(**{field: "議案第12号\r\nBcc: x"}),
    )

    assert response.context["form"].errors[field] == [str(ERROR_LINE_BREAK)]
    assert not CouncilResolution.objects.exists()


def test_a_line_break_in_older_data_does_not_stop_the_mail(
    clerk_client, procedure, django_capture_on_commit_callbacks
):
    _planning_staff(procedure.agreement.area)
    Agreement.objects.filter(pk=procedure.agreement_id).update(title="連携協約\n（長野市）")

    with django_capture_on_commit_callbacks(execute=True):
        response = clerk_client.post(f"/desk/procedures/{procedure.pk}/resolutions/new/", _form())

    assert response.status_code == 302
    (message,) = mail.outbox
    assert "\n" not in message.subject and "連携協約 （長野市）" in message.subject


def test_clerk_corrects_their_resolution_and_history_keeps_both(clerk_client, procedure):
    resolution = factories.CouncilResolutionFactory(procedure=procedure, result=Result.CARRIED_OVER)

    url = f"/desk/resolutions/{resolution.pk}/"
    response = clerk_client.post(url, _form() | factories.loaded_token(clerk_client, url))

    assert response.status_code == 302
    resolution.refresh_from_db()
    assert resolution.result == Result.PASSED
    assert [h.result for h in resolution.history.order_by("history_date")] == [
        Result.CARRIED_OVER,
        Result.PASSED,
    ]


def test_clerk_of_another_municipality_can_neither_see_nor_record(client, procedure):
    other = factories.clerk(
        factories.AreaMembershipFactory(area=procedure.agreement.area).municipality
    )
    resolution = factories.CouncilResolutionFactory(procedure=procedure, rejected=True)
    client.force_login(other)

    assert client.get("/desk/").context["waiting"] == []
    new = f"/desk/procedures/{procedure.pk}/resolutions/new/"
    assert client.get(new).status_code == 404
    assert client.post(new, _form()).status_code == 404
    assert client.post(f"/desk/resolutions/{resolution.pk}/", _form()).status_code == 404
    resolution.refresh_from_db()
    assert resolution.result == Result.REJECTED
    assert CouncilResolution.objects.count() == 1


def test_clerk_cannot_reach_the_admin(clerk_client):
    response = clerk_client.get("/admin/agreements/councilresolution/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_document_of_an_internal_draft_is_not_public(client):
    procedure = factories.ProcedureFactory()
    resolution = factories.CouncilResolutionFactory(
        procedure=procedure, document=SimpleUploadedFile("gi.pdf", PDF, "application/pdf")
    )
    url = f"/resolutions/{resolution.pk}/document.pdf"
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF

    agreement = procedure.agreement
    type(agreement).objects.filter(pk=agreement.pk).update(is_public=False)
    assert client.get(url).status_code == 404
    client.force_login(factories.clerk(agreement.partner))
    assert client.get(url).status_code == 200


# ---------------------------------------------------------------------------------------------
# Same-day boundaries and corrections after a pass or after effect (docs/mutation.md)
# ---------------------------------------------------------------------------------------------

DAY = datetime.timedelta(days=1)
PASSED_ON = RESOLVED_ON + 30 * DAY


def _new_url(procedure):
    return f"/desk/procedures/{procedure.pk}/resolutions/new/"


def _correct(client, resolution, **overrides):
    url = f"/desk/resolutions/{resolution.pk}/"
    return client.post(url, _form(**overrides) | factories.loaded_token(client, url))


@pytest.mark.parametrize(
    ("resolved_on", "result", "accepted"),
    [
        pytest.param(RESOLVED_ON + DAY, Result.CARRIED_OVER, True, id="before-the-pass"),
        pytest.param(PASSED_ON, Result.REJECTED, True, id="on-the-day-of-the-pass"),
        pytest.param(PASSED_ON + DAY, Result.CARRIED_OVER, False, id="after-the-pass"),
        pytest.param(RESOLVED_ON, Result.PASSED, False, id="into-a-second-pass"),
    ],
)
def test_clerk_corrects_an_earlier_resolution_after_the_council_passed(
    clerk_client, procedure, resolved_on, result, accepted
):
    earlier = factories.CouncilResolutionFactory(
        procedure=procedure, result=Result.CARRIED_OVER, resolved_on=RESOLVED_ON
    )
    factories.CouncilResolutionFactory(procedure=procedure, resolved_on=PASSED_ON)
    before = factories.row_counts()

    response = _correct(clerk_client, earlier, resolved_on=resolved_on.isoformat(), result=result)

    earlier.refresh_from_db()
    if accepted:
        assert response.status_code == 302
        assert (earlier.resolved_on, earlier.result) == (resolved_on, result)
    else:
        partner = procedure.agreement.partner
        assert response.context["form"].errors["resolved_on"] == [
            str(ERROR_RESOLUTION_AFTER_PASSED % {"council": partner, "date": PASSED_ON})
        ]
        assert (earlier.resolved_on, earlier.result) == (RESOLVED_ON, Result.CARRIED_OVER)
        assert factories.row_counts() == before


@pytest.mark.parametrize(("days", "accepted"), [(0, True), (-1, False)], ids=["same-day", "before"])
def test_clerk_records_a_new_resolution_on_the_day_of_the_councils_previous_one(
    clerk_client, procedure, days, accepted
):
    # Two earlier resolutions of the council: the later one is "the previous one".
    for on in (RESOLVED_ON - 20 * DAY, RESOLVED_ON):
        factories.CouncilResolutionFactory(
            procedure=procedure, result=Result.CARRIED_OVER, resolved_on=on
        )
    before = factories.row_counts()

    response = clerk_client.post(
        _new_url(procedure), _form(resolved_on=(RESOLVED_ON + days * DAY).isoformat())
    )

    if accepted:
        assert response.status_code == 302
        assert procedure.resolutions.get(result=Result.PASSED).resolved_on == RESOLVED_ON
        assert procedure.agreement.status() == AgreementStatus.IN_COUNCIL
    else:
        assert response.context["form"].errors["resolved_on"] == [
            str(ERROR_RESOLUTION_BEFORE_PREVIOUS % {"date": RESOLVED_ON})
        ]
        assert factories.row_counts() == before


@pytest.mark.parametrize(
    ("resolved_on", "result", "accepted"),
    [
        pytest.param(EFFECTIVE_ON, Result.PASSED, True, id="pass-on-the-day-of-effect"),
        pytest.param(EFFECTIVE_ON + DAY, Result.PASSED, False, id="pass-after-effect"),
        pytest.param(EFFECTIVE_ON, Result.REJECTED, False, id="rejection-on-the-day-of-effect"),
    ],
)
def test_clerk_corrects_a_pass_of_a_procedure_in_effect(client, resolved_on, result, accepted):
    agreement = factories.agreement_in_force()
    procedure = agreement.procedures.get()
    own = procedure.resolutions.get(municipality=agreement.partner)
    client.force_login(factories.clerk(agreement.partner))
    before = factories.row_counts()

    response = _correct(client, own, resolved_on=resolved_on.isoformat(), result=result)

    own.refresh_from_db()
    if accepted:
        assert response.status_code == 302
        assert (own.resolved_on, own.result) == (resolved_on, result)
        assert agreement.status() == AgreementStatus.IN_FORCE
    else:
        assert response.context["form"].errors["result"] == [
            str(ERROR_RESOLUTION_AFTER_EFFECT % {"date": EFFECTIVE_ON})
        ]
        assert (own.resolved_on, own.result) == (RESOLVED_ON, Result.PASSED)
        assert factories.row_counts() == before


# ---------------------------------------------------------------------------------------------
# The planning staff's e-mail: recorded or corrected, and by whom
# ---------------------------------------------------------------------------------------------


def _resolution_mail(resolution, *, corrected, by):
    """The subject and body the planning staff should get, in Japanese."""
    agreement = resolution.procedure.agreement
    names = {"council": resolution.municipality.name, "agreement": agreement.title}
    with translation.override("ja"):
        if corrected:
            subject = gettext("Resolution corrected: %(council)s council, %(agreement)s") % names
        else:
            subject = gettext("Resolution recorded: %(council)s council, %(agreement)s") % names
        body = gettext(
            "%(by)s recorded for the council of %(council)s:\n\n"
            "%(procedure)s\n%(session)s %(bill)s, %(date)s: %(result)s\n\n%(url)s\n"
        ) % {
            "by": by,
            "council": resolution.municipality.name,
            "procedure": resolution.procedure.summary,
            "session": resolution.session,
            "bill": resolution.bill_number,
            "date": resolution.resolved_on.isoformat(),
            "result": resolution.get_result_display(),
            "url": settings.SITE_URL + agreement.get_absolute_url(),
        }
    return subject, body


@pytest.mark.parametrize(
    ("last_name", "first_name", "shown"),
    [("山田", "花子", "山田 花子"), ("山田", "", "山田"), ("", "", None)],
    ids=["full-name", "family-name-only", "no-name"],
)
def test_recording_then_correcting_mails_what_happened_and_who_did_it(
    client, procedure, django_capture_on_commit_callbacks, last_name, first_name, shown
):
    _planning_staff(procedure.agreement.area, email="plan@nagano.example.jp")
    clerk = factories.clerk(procedure.agreement.partner, last_name=last_name, first_name=first_name)
    client.force_login(clerk)
    by = shown or clerk.username

    with django_capture_on_commit_callbacks(execute=True):
        client.post(_new_url(procedure), _form(result=Result.CARRIED_OVER))
    resolution = CouncilResolution.objects.get()
    recorded = _resolution_mail(resolution, corrected=False, by=by)
    with django_capture_on_commit_callbacks(execute=True):
        response = _correct(client, resolution, bill_number="議案第13号")
    assert response.status_code == 302
    resolution.refresh_from_db()
    corrected = _resolution_mail(resolution, corrected=True, by=by)

    assert [(m.subject, m.body) for m in mail.outbox] == [recorded, corrected]
    assert [m.to for m in mail.outbox] == [["plan@nagano.example.jp"]] * 2
    assert recorded[0] != corrected[0]
