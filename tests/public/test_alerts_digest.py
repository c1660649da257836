"""The daily digest of the e-mail alerts (`manage.py send_alerts`): a follower confirmed by
its link gets, once, the public events that reached the record since — whatever their date —
in its language, with a one-click unsubscribe; drafts, other places' events, unconfirmed
followers and days without news get nothing; a second run the same day sends nothing."""

import datetime
import io
import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.core.management import call_command
from django.utils import timezone

from agreements import services
from agreements.status import ProcedureKind, Result
from public.digests import digests_send
from public.models import Follower
from tests import factories
from tests.factories import RESOLVED_ON
from vision.models import VisionStatus

pytestmark = pytest.mark.django_db

EMAIL = "taro@example.jp"
TODAY = timezone.localdate()


@pytest.fixture
def committing(django_capture_on_commit_callbacks):
    """Run what waits for the commit (the e-mails) as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def follow(client, committing):
    """Follow `url` and confirm through the e-mailed link, as a reader does; the follower."""

    def follow(url: str, email: str = EMAIL) -> Follower:
        with committing():
            client.post(url, {"email": email})
        client.post(_link(mail.outbox[-1], "confirm"))
        mail.outbox.clear()
        return Follower.objects.get(email=email, confirmed_at__isnull=False)

    return follow


@pytest.fixture
def send(committing):
    """Run `send_alerts`; the digests it sent."""

    def send() -> list[EmailMessage]:
        mail.outbox.clear()
        with committing():
            call_command("send_alerts", stdout=io.StringIO())
        return list(mail.outbox)

    return send


def _link(message, kind: str) -> str:
    (url,) = re.findall(rf"http\S+/alerts/{kind}/\S+/", message.body)
    return urlsplit(url).path


def _tomorrow():
    """The next day's run: the digests of today were sent yesterday."""
    Follower.objects.exclude(sent_at=None).update(
        sent_at=timezone.now() - datetime.timedelta(days=1)
    )


def _record(procedure, municipality, day=TODAY, **kwargs):
    return services.resolution_record(
        procedure=procedure,
        municipality=municipality,
        session="令和8年11月臨時会",
        bill_number="議案第7号",
        resolved_on=day,
        result=Result.PASSED,
        **kwargs,
    )


# The whole way, through the pages and the command ---------------------------------------------


def test_a_resolution_recorded_at_the_desk_reaches_the_follower_who_unsubscribes_in_one_click(
    client, follow, send, committing
):
    agreement = factories.AgreementFactory()
    procedure = factories.ProcedureFactory(agreement=agreement)
    follow(f"/areas/{agreement.area.slug}/follow/")
    clerk = factories.clerk(agreement.partner)
    client.force_login(clerk)
    with committing():
        client.post(
            f"/desk/procedures/{procedure.pk}/resolutions/new/",
            {
                "session": "令和8年11月臨時会",
                "bill_number": "議案第7号",
                "resolved_on": TODAY.isoformat(),
                "result": Result.PASSED,
                "document_pending": "議決書は後日掲載します。",
                "note": "",
            },
        )
    client.logout()
    resolution = procedure.resolutions.get()

    (digest,) = send()

    assert digest.to == [EMAIL]
    assert digest.subject == f"{agreement.area.name}：新しい出来事（1件）"
    partner = agreement.partner.name
    assert f"{partner}議会：可決 — 締結：連携協約の締結（{partner}）" in digest.body
    assert "令和8年11月臨時会 議案第7号" in digest.body
    assert (
        f"http://127.0.0.1:8000{agreement.get_absolute_url()}#resolution-{resolution.pk}"
        in digest.body
    )
    unsubscribe = digest.extra_headers["List-Unsubscribe"]
    assert re.fullmatch(r"<http://127\.0\.0\.1:8000/alerts/unsubscribe/\S+/>", unsubscribe)
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe.strip("<>") in digest.body
    # RFC 8058: the mailbox provider's one POST, no cookie, no CSRF token.
    response = client.post(
        urlsplit(unsubscribe.strip("<>")).path,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert not Follower.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_an_alert_reaches_the_console_mail_backend_after_commit(client, follow, settings, capsys):
    """As in production: no test transaction around it, so the digests leave when the
    command's own transaction commits."""
    procedure = factories.ProcedureFactory()
    agreement = procedure.agreement
    follow(f"/areas/{agreement.area.slug}/follow/")
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    resolution = _record(procedure, agreement.partner)
    capsys.readouterr()

    call_command("send_alerts")

    printed = capsys.readouterr().out
    assert f"{agreement.get_absolute_url()}#resolution-{resolution.pk}" in printed
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in printed
    assert printed.endswith(
        "Digests sent: 1; refused by the mail server (sent again on the next run): 0; "
        "unconfirmed sign-ups deleted: 0.\n"
    )
    # A long header is folded onto the next line.
    unsubscribe = re.search(r"List-Unsubscribe:\s+<(http\S+)>", printed).group(1)
    response = client.post(
        urlsplit(unsubscribe).path,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert not Follower.objects.exists()


# What is sent, and when ---------------------------------------------------------------------


def test_the_digest_sends_what_became_public_since_the_last_one_once(follow, send):
    agreement = factories.agreement_in_force()
    area = agreement.area
    follow(f"/areas/{area.slug}/follow/")
    # Public before the follower confirmed: not news.
    assert send() == []

    # Recorded today, dated a week ago: news, once.
    amendment = services.procedure_start(
        agreement=agreement,
        kind=ProcedureKind.AMENDMENT,
        summary="連携する取組の追加",
        proposed_on=TODAY - datetime.timedelta(days=7),
    )
    (digest,) = send()
    assert f"議会に提出：変更：連携する取組の追加（{agreement.partner.name}）" in digest.body

    # The same day, something new: tomorrow's digest, since one a day at most.
    _record(amendment, agreement.partner)
    assert send() == []
    _tomorrow()
    (digest,) = send()
    assert "議会：可決 — 変更：連携する取組の追加" in digest.body
    assert "議会に提出" not in digest.body
    _tomorrow()
    assert send() == []


def test_drafts_never_appear(follow, send):
    agreement = factories.agreement_in_force()
    area = agreement.area
    follow(f"/areas/{area.slug}/follow/")
    internal = factories.AgreementFactory(area=area, internal=True)
    _record(factories.ProcedureFactory(agreement=internal), internal.partner)
    services.procedure_start(
        agreement=agreement, kind=ProcedureKind.AMENDMENT, summary="検討中の変更"
    )
    factories.VisionFactory(
        area=area,
        title="内部検討中のビジョン",
        adopted_on=TODAY,
        comment_starts_on=TODAY,
        comment_ends_on=TODAY,
    )

    assert send() == []
    assert Follower.objects.get().sent_at is None


def test_every_kind_of_public_event_is_sent(follow, send):
    agreement = factories.AgreementFactory()
    area, partner = agreement.area, agreement.partner
    follow(f"/areas/{area.slug}/follow/")
    conclusion = factories.ProcedureFactory(agreement=agreement, proposed_on=TODAY)
    _record(conclusion, area.central_city)
    _record(conclusion, partner)
    conclusion.signed_on = TODAY
    services.procedure_put_into_effect(
        procedure=conclusion, effective_on=TODAY, central_notice_on=TODAY
    )
    amendment = services.procedure_start(
        agreement=agreement,
        kind=ProcedureKind.AMENDMENT,
        summary="防災の追加",
        proposed_on=TODAY,
    )
    vision = factories.VisionFactory(
        area=area,
        title="新ビジョン",
        status=VisionStatus.ADOPTED,
        adopted_on=TODAY,
        comment_starts_on=TODAY - datetime.timedelta(days=30),
        comment_ends_on=TODAY - datetime.timedelta(days=1),
    )

    (digest,) = send()

    body = digest.body
    assert digest.subject == f"{area.name}：新しい出来事（9件）"
    assert f"議会に提出：締結：連携協約の締結（{partner.name}）" in body
    assert f"{area.central_city.name}議会：可決" in body and f"{partner.name}議会：可決" in body
    assert f"締結：締結：連携協約の締結（{partner.name}）" in body
    assert f"効力発生：締結：連携協約の締結（{partner.name}）" in body
    assert f"{area.central_city.name}の告示：" in body
    assert f"議会に提出：変更：防災の追加（{partner.name}）" in body
    assert "ビジョン策定：新ビジョン" in body
    assert "ビジョン案の意見募集（パブリックコメント）：新ビジョン" in body
    assert f"{vision.get_absolute_url()}#adopted" in body and f"#procedure-{amendment.pk}-" in body
    # Oldest first: the public comment opened a month ago.
    assert body.index("意見募集") < body.index("議会に提出")


def test_a_date_of_effect_is_news_on_the_day_it_is_reached(follow, send, monkeypatch):
    procedure = factories.ProcedureFactory()
    agreement = procedure.agreement
    _record(procedure, agreement.area.central_city, day=RESOLVED_ON)
    _record(procedure, agreement.partner, day=RESOLVED_ON)
    tomorrow = TODAY + datetime.timedelta(days=1)
    services.procedure_put_into_effect(procedure=procedure, effective_on=tomorrow)
    follow(f"/areas/{agreement.area.slug}/follow/")
    assert send() == []

    localdate = timezone.localdate
    monkeypatch.setattr(
        timezone,
        "localdate",
        lambda value=None, timezone=None: tomorrow if value is None else localdate(value, timezone),
    )
    (digest,) = send()

    assert digest.subject.endswith("（1件）")
    assert f"効力発生：締結：連携協約の締結（{agreement.partner.name}）" in digest.body


def test_unconfirmed_followers_get_nothing_and_expire_after_seven_days(client, send, committing):
    procedure = factories.ProcedureFactory()
    area = procedure.agreement.area
    with committing():
        client.post(f"/areas/{area.slug}/follow/", {"email": EMAIL})
        client.post(f"/areas/{area.slug}/follow/", {"email": "later@example.jp"})
    _record(procedure, procedure.agreement.partner)
    Follower.objects.filter(email=EMAIL).update(
        requested_at=timezone.now() - datetime.timedelta(days=7, minutes=1)
    )

    assert send() == []
    assert list(Follower.objects.values_list("email", flat=True)) == ["later@example.jp"]


def test_a_municipality_follower_gets_only_its_own_events(follow, send):
    area = factories.CooperationAreaFactory()
    own = factories.ProcedureFactory(agreement__area=area)
    other = factories.ProcedureFactory(agreement__area=area)
    partner = own.agreement.partner
    follow(f"/municipalities/{partner.code}/follow/")

    _record(other, other.agreement.partner)
    assert send() == []

    _record(own, partner)
    (digest,) = send()
    assert digest.subject == f"{partner.name}：新しい出来事（1件）"
    assert f"{partner.name}議会：可決" in digest.body
    assert f"http://127.0.0.1:8000/municipalities/{partner.code}/" in digest.body


def test_an_english_follower_gets_english(follow, send):
    procedure = factories.ProcedureFactory()
    agreement = procedure.agreement
    partner = agreement.partner
    partner.english_name = "Test Town"
    partner.save()
    page = agreement.get_absolute_url()
    follow(f"/en/municipalities/{partner.code}/follow/")
    resolution = _record(procedure, partner)

    (digest,) = send()

    assert digest.subject == "Test Town: new events (1)"
    assert (
        f"{partner.name} council: Passed (可決) — Conclusion (締結): 連携協約の締結" in digest.body
    )
    assert "New on the public record of Test Town since the previous e-mail:" in digest.body
    assert f"http://127.0.0.1:8000/en{page}#resolution-{resolution.pk}" in digest.body
    assert "/en/alerts/unsubscribe/" in digest.extra_headers["List-Unsubscribe"]


def test_a_digest_the_mail_server_refuses_is_sent_on_the_next_run(follow, send, monkeypatch):
    procedure = factories.ProcedureFactory()
    follow(f"/areas/{procedure.agreement.area.slug}/follow/")
    _record(procedure, procedure.agreement.partner)

    def refuse(message, fail_silently=False):
        raise ConnectionRefusedError

    with monkeypatch.context() as patched:
        patched.setattr(EmailMessage, "send", refuse)
        assert send() == []
    assert Follower.objects.get().sent_at is None

    (digest,) = send()
    assert "議会：可決" in digest.body


def test_a_follower_removed_before_its_digest_gets_nothing(follow, send):
    procedure = factories.ProcedureFactory()
    follow(f"/areas/{procedure.agreement.area.slug}/follow/")
    _record(procedure, procedure.agreement.partner)
    Follower.objects.all().delete()

    assert send() == []


# Queries -------------------------------------------------------------------------------------


@pytest.mark.parametrize("followers", [2, 6])
def test_digest_queries_do_not_grow_with_the_followers(
    django_assert_num_queries, committing, followers
):
    procedure = factories.ProcedureFactory()
    area = procedure.agreement.area
    for n in range(followers):
        Follower.objects.create(
            email=f"person{n}@example.jp",
            area=area,
            language="ja" if n % 2 else "en",
            confirmed_at=timezone.now(),
        )
    _record(procedure, procedure.agreement.partner)

    # Expired sign-ups and throttle records deleted (2); the areas and municipalities
    # followed (1); for the area, in a savepoint (2): its due followers, locked (1), its events
    # in each language (9 each, the titles the public reads of its agreements among them),
    # their marks (one UPDATE).
    with committing(), django_assert_num_queries(25):
        outcome = digests_send()

    assert outcome.sent == len(mail.outbox) == followers
