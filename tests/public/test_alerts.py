"""Following an area or a municipality by e-mail, through its pages: the link on the public
pages, the sign-up form (double opt-in, throttled, the same answer for every address), the
confirmation link (a button: scanners open links), the one-click unsubscribe of RFC 8058, and
the operator's admin page. The digests are tested in test_alerts_digest.py."""

import datetime
import re
from urllib.parse import urlsplit

import pytest
from django.core import mail, signing
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone
from django.utils.translation import gettext

from municipalities.models import StaffRole
from municipalities.roles import setup_roles
from public import alerts, followers
from public.models import Follower, FollowRequest
from tests import factories

pytestmark = pytest.mark.django_db

EMAIL = "taro@example.jp"


@pytest.fixture
def area():
    return factories.agreement_in_force().area


@pytest.fixture
def follow(client, django_capture_on_commit_callbacks):
    """Post the follow form at `url` (with `client`, or the test's), and send what waits for
    the commit: the e-mail."""

    def post(url: str, email: str = EMAIL, *, by=client, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return by.post(url, {"email": email}, **extra)

    return post


def link(message, kind: str) -> str:
    """The path of the message's confirm or unsubscribe link."""
    (url,) = re.findall(rf"http\S+/alerts/{kind}/\S+/", message.body)
    return urlsplit(url).path


# The public pages link to the follow page, and stay cacheable --------------------------------


def test_area_and_municipality_pages_link_to_their_follow_pages_without_a_form(client, area):
    partner = area.memberships.get().municipality
    pages = {
        f"/areas/{area.slug}/": f"/areas/{area.slug}/follow/",
        f"/municipalities/{partner.code}/": f"/municipalities/{partner.code}/follow/",
        f"/en/areas/{area.slug}/": f"/en/areas/{area.slug}/follow/",
    }

    for page, follow_page in pages.items():
        response = client.get(page)
        content = response.content.decode()
        assert f'<a href="{follow_page}">' in content, page
        # No form on the page itself: it stays one page for every reader, publicly cached.
        assert "csrfmiddlewaretoken" not in content
        assert "public" in response["Cache-Control"]
        assert client.get(follow_page).status_code == 200
    assert "メールで通知を受け取る" in client.get(f"/areas/{area.slug}/").content.decode()
    assert "Get e-mail alerts" in client.get(f"/en/areas/{area.slug}/").content.decode()


def test_follow_page_says_what_is_stored_and_how_to_remove_it(client, area):
    response = client.get(f"/areas/{area.slug}/follow/")

    content = response.content.decode()
    assert f"<h1>{area.name}のメール通知</h1>" in content
    assert "保存するのはメールアドレスだけです。" in content
    assert "確認されない登録は7日後に削除します。" in content
    assert "ワンクリックでアドレスをすぐに削除するリンク" in content
    # A form with a token: for this reader only, never kept by a cache.
    assert "csrfmiddlewaretoken" in content
    assert "no-store" in response["Cache-Control"] and "public" not in response["Cache-Control"]


def test_follow_pages_of_unknown_areas_and_municipalities_are_404(client):
    assert client.get("/areas/nowhere/follow/").status_code == 404
    assert client.get("/municipalities/999997/follow/").status_code == 404


# Signing up ----------------------------------------------------------------------------------


def test_follow_stores_the_address_unconfirmed_and_mails_a_confirmation_link(follow, client, area):
    response = follow(f"/areas/{area.slug}/follow/")

    assert response.status_code == 200
    content = response.content.decode()
    assert "<h1>メールを確認してください</h1>" in content
    assert f"{EMAIL} にメールを送りました。7日以内にメールのリンクを開き" in content
    follower = Follower.objects.get()
    assert (follower.email, follower.area, follower.municipality) == (EMAIL, area, None)
    assert (follower.language, follower.confirmed_at) == ("ja", None)
    (message,) = mail.outbox
    assert message.to == [EMAIL]
    assert message.subject == f"{area.name}のメール通知の登録を確認してください"
    assert "7日以内に次のリンクを開き、ページのボタンを押してください" in message.body
    assert re.search(r"http://127\.0\.0\.1:8000/alerts/confirm/\S+/", message.body)
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"http://127.0.0.1:8000/areas/{area.slug}/" in message.body


def test_follow_answers_alike_whether_or_not_the_address_already_follows(follow, client, area):
    url = f"/areas/{area.slug}/follow/"
    first = follow(url)
    again_unconfirmed = follow(url, email=EMAIL.upper())
    client.post(link(mail.outbox[1], "confirm"))
    again_confirmed = follow(url)

    def answer(response, email=EMAIL):
        return response.content.decode().replace(email, "…")

    assert answer(first) == answer(again_unconfirmed, EMAIL.upper()) == answer(again_confirmed)
    assert Follower.objects.count() == 1
    # Only the mailbox learns the difference: the confirmed address is told it follows.
    assert [m.subject for m in mail.outbox] == [
        f"{area.name}のメール通知の登録を確認してください",
        f"{area.name}のメール通知の登録を確認してください",
        f"{area.name}のメール通知は既に登録されています",
    ]
    assert "登録内容は変わっていません。" in mail.outbox[2].body
    assert "/alerts/confirm/" not in mail.outbox[2].body


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("", "通知を受け取るメールアドレスを入力してください。"),
        (
            "taro.example.jp",
            "「taro.example.jp」はメールアドレスの形になっていません。"
            "名前、@、ドメインが必要です（例：taro@example.jp）。",
        ),
        (
            "a" * 250 + "@example.jp",
            "メールアドレスは254文字までです（入力されたものは261文字）。",
        ),
    ],
)
def test_follow_refuses_what_is_not_an_address_and_says_why(follow, client, area, typed, error):
    response = follow(f"/areas/{area.slug}/follow/", email=typed)

    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [error]
    assert error in response.content.decode()
    assert not Follower.objects.exists()
    assert mail.outbox == []


def test_sign_up_is_throttled_per_connection_and_per_address(follow, client, area):
    url = f"/areas/{area.slug}/follow/"
    for n in range(followers.SIGN_UP_LIMIT):
        assert follow(url, email=f"person{n}@example.jp").status_code == 200

    refused = follow(url, email="one-more@example.jp")

    assert refused.status_code == 429
    assert refused["Retry-After"] == "3600"
    assert "この1時間に、この接続元またはこのメールアドレスからの" in refused.content.decode()
    assert not Follower.objects.filter(email="one-more@example.jp").exists()
    assert len(mail.outbox) == followers.SIGN_UP_LIMIT
    # One address, from other connections.
    for n in range(followers.SIGN_UP_LIMIT - 1):
        follow(url, email="person0@example.jp", REMOTE_ADDR=f"192.0.2.{n + 10}")
    assert follow(url, email="PERSON0@example.jp", REMOTE_ADDR="192.0.2.99").status_code
    assert follow(url, email="person0@example.jp", REMOTE_ADDR="192.0.2.98").status_code == 429
    # Only keyed digests are kept, never the addresses.
    kept = list(FollowRequest.objects.values_list("client_digest", "email_digest"))
    assert not any(
        "example.jp" in d or "127.0.0.1" in d or "192.0.2" in d for row in kept for d in row
    )


def test_the_throttle_forgets_after_an_hour(follow, client, area):
    url = f"/areas/{area.slug}/follow/"
    for n in range(followers.SIGN_UP_LIMIT):
        follow(url, email=f"person{n}@example.jp")
    FollowRequest.objects.update(requested_at=timezone.now() - datetime.timedelta(minutes=61))

    assert follow(url, email="later@example.jp").status_code == 200


# Confirming ----------------------------------------------------------------------------------


def test_confirm_link_shows_a_button_and_only_the_button_confirms(follow, client, area):
    follow(f"/areas/{area.slug}/follow/")
    url = link(mail.outbox[0], "confirm")

    page = client.get(url)  # as a mail scanner would

    assert page.status_code == 200
    assert (
        "ボタンを押すと" in page.content.decode() and "確認する</button>" in page.content.decode()
    )
    assert Follower.objects.get().confirmed_at is None
    confirmed = client.post(url)
    assert confirmed.status_code == 200
    assert "<h1>メール通知を確認しました</h1>" in confirmed.content.decode()
    assert Follower.objects.get().confirmed_at is not None
    assert "no-store" in page["Cache-Control"] and "no-store" in confirmed["Cache-Control"]
    # The link again: it says so, and changes nothing.
    assert "メール通知を確認しました" in client.get(url).content.decode()


def test_confirm_link_needs_the_pages_csrf_token(follow, area):
    client = Client(enforce_csrf_checks=True)
    follow(f"/areas/{area.slug}/follow/")
    url = link(mail.outbox[0], "confirm")

    assert client.post(url).status_code == 403
    token = client.get(url).context["csrf_token"]
    assert client.post(url, {"csrfmiddlewaretoken": str(token)}).status_code == 200
    assert Follower.objects.get().confirmed_at is not None


def test_confirm_links_not_made_here_are_404_with_a_message(follow, client, area):
    follow(f"/areas/{area.slug}/follow/")
    url = link(mail.outbox[0], "confirm")
    unsubscribe = link(mail.outbox[0], "unsubscribe")

    for wrong in (
        url[:-5] + "/",
        unsubscribe.replace("unsubscribe", "confirm"),
        "/alerts/confirm/x/",
    ):
        response = client.get(wrong)
        assert response.status_code == 404, wrong
        assert str(alerts.LINK_INVALID) in response.content.decode()
        assert "このリンクは正しくありません。" in response.content.decode()


def test_confirm_link_expires_with_its_sign_up(follow, client, area, monkeypatch):
    eight_days_ago = timezone.now() - datetime.timedelta(days=8)
    follower = Follower.objects.create(email=EMAIL, area=area, language="ja")
    with monkeypatch.context() as patched:
        patched.setattr(signing.time, "time", lambda: eight_days_ago.timestamp())
        url = f"/alerts/confirm/{followers.confirm_token(follower)}/"

    response = client.post(url)

    assert response.status_code == 410
    assert "このリンクは期限が切れたか、登録が削除されています。" in response.content.decode()
    assert Follower.objects.get().confirmed_at is None
    # A removed sign-up: the same.
    fresh = f"/alerts/confirm/{followers.confirm_token(follower)}/"
    follower.delete()
    assert client.get(fresh).status_code == 410


# Unsubscribing -------------------------------------------------------------------------------


def _confirmed(follow, client, url: str):
    follow(url, by=client)
    client.post(link(mail.outbox[-1], "confirm"))
    return Follower.objects.get()


def test_one_click_unsubscribe_deletes_the_address_at_once(follow, area):
    """RFC 8058: the mailbox provider posts `List-Unsubscribe=One-Click` to the header's
    address, with no cookie and no CSRF token."""
    client = Client(enforce_csrf_checks=True)
    _confirmed(follow, Client(), f"/areas/{area.slug}/follow/")
    header = mail.outbox[0].extra_headers["List-Unsubscribe"]
    url = urlsplit(header.strip("<>")).path

    response = client.post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 200
    assert not Follower.objects.exists()
    assert f"{EMAIL} には{area.name}の通知を送りません。" in response.content.decode()
    again = client.post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert again.status_code == 200
    assert "このアドレスは既に削除されています。" in again.content.decode()


def test_unsubscribe_link_shows_one_button_that_removes_the_address(follow, client, area):
    _confirmed(follow, client, f"/areas/{area.slug}/follow/")
    url = link(mail.outbox[0], "unsubscribe")

    page = client.get(url)  # as a mail scanner would

    content = page.content.decode()
    assert page.status_code == 200 and Follower.objects.exists()
    assert f"{EMAIL} への{area.name}の通知を止めますか。" in content
    assert '<input type="hidden" name="List-Unsubscribe" value="One-Click">' in content
    assert "no-store" in page["Cache-Control"]
    assert client.post(url, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert not Follower.objects.exists()


def test_unsubscribe_links_not_made_here_are_404(follow, client, area):
    follower = _confirmed(follow, client, f"/areas/{area.slug}/follow/")
    token = followers.unsubscribe_token(follower)

    for wrong in (token[:-3], followers.confirm_token(follower), "x"):
        response = client.post(f"/alerts/unsubscribe/{wrong}/")
        assert response.status_code == 404, wrong
        assert "このリンクは正しくありません。" in response.content.decode()
    assert Follower.objects.exists()


def test_an_unconfirmed_sign_up_can_be_removed_from_its_confirmation_email(follow, client, area):
    follow(f"/areas/{area.slug}/follow/")

    client.post(link(mail.outbox[0], "unsubscribe"))

    assert not Follower.objects.exists()


# Municipalities and languages ----------------------------------------------------------------


def test_following_a_municipality_in_english_speaks_english(follow, client, area):
    partner = area.memberships.get().municipality
    partner.english_name = "Test Town"
    partner.save()

    response = follow(f"/en/municipalities/{partner.code}/follow/")

    assert "<h1>Check your mailbox</h1>" in response.content.decode()
    follower = Follower.objects.get()
    assert (follower.municipality, follower.area, follower.language) == (partner, None, "en")
    (message,) = mail.outbox
    assert message.subject == "Confirm e-mail alerts for Test Town"
    assert "To confirm, open this link within 7 days" in message.body
    assert link(message, "confirm").startswith("/en/alerts/confirm/")
    confirmed = client.post(link(message, "confirm"))
    assert "From now on, taro@example.jp receives" in confirmed.content.decode()


def test_one_address_follows_several_things_each_once(follow, client, area):
    partner = area.memberships.get().municipality
    follow(f"/areas/{area.slug}/follow/")
    follow(f"/municipalities/{partner.code}/follow/")
    follow(f"/municipalities/{partner.code}/follow/")

    assert sorted(str(f.followed) for f in Follower.objects.all()) == sorted(
        [str(area), str(partner)]
    )


def test_a_follower_follows_exactly_one_thing(area):
    partner = area.memberships.get().municipality
    for followed in ({}, {"area": area, "municipality": partner}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Follower.objects.create(email=EMAIL, language="ja", **followed)
    Follower.objects.create(email=EMAIL, language="ja", area=area)
    with pytest.raises(IntegrityError), transaction.atomic():
        Follower.objects.create(email=EMAIL.upper(), language="ja", area=area)


# The operator's admin page -------------------------------------------------------------------


def test_only_the_operator_sees_followers_in_the_admin_and_may_remove_one(follow, client, area):
    follower = _confirmed(follow, client, f"/areas/{area.slug}/follow/")
    list_url, change_url = "/admin/public/follower/", f"/admin/public/follower/{follower.pk}/"
    planning = factories.UserFactory(is_staff=True)
    planning.groups.add(setup_roles())
    StaffRole.objects.create(
        user=planning, kind=StaffRole.Kind.PLANNING_STAFF, municipality=area.central_city
    )
    client.force_login(planning)

    assert client.get(list_url).status_code == 403
    assert client.get(f"{change_url}change/").status_code == 403
    assert client.post(f"{change_url}delete/", {"post": "yes"}).status_code == 403
    assert EMAIL not in client.get("/admin/").content.decode()
    assert not planning.has_perm("public.view_follower")

    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    listed = client.get(list_url, {"q": "taro"})
    assert listed.status_code == 200 and EMAIL in listed.content.decode()
    assert client.get(f"{list_url}add/").status_code == 403
    change = client.get(f"{change_url}change/")
    assert change.status_code == 200 and 'name="email"' not in change.content.decode()
    assert client.post(f"{change_url}delete/", {"post": "yes"}).status_code == 302
    assert not Follower.objects.exists()
    assert gettext("e-mail followers") == "メール通知の登録"
