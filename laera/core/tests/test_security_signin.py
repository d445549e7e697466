"""Sign-in throttling, the client's address, password reset limits, /healthz and the production guards.

Each test turns a way the old throttle could be passed or misused into a rule: parallel attempts are
counted before any password is checked, one office behind one address is not locked out by a few typos,
and an account's lock holds wherever the attempts come from.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from typing import Any

import pytest
from django.core import mail
from django.db import connection, connections
from django.test import Client, RequestFactory
from django.utils import translation

from laera.accounts import throttle
from laera.accounts.models import ThrottleCounter, User
from laera.config import gunicorn as gunicorn_config
from laera.core.network import client_address
from laera.organisations.models import Organisation, Person

LOGIN = "/accounts/login/"
RESET = "/accounts/password-reset/"
RIGHT = "the-right-password-1"
WRONG_MESSAGE = "The e-mail address or the password is wrong."
LOCKED_MESSAGE = "Too many failed sign-in attempts for this account."
NETWORK_MESSAGE = "Too many sign-in attempts from your network."
RESET_MESSAGE = "Too many requests for a link to choose a password."


def _sign_in(email: str, password: str, address: str = "198.51.100.7", **extra: Any) -> Any:
    client = Client(REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE="en")
    return client.post(LOGIN, {"email": email, "password": password}, **extra)


def _outcome(response: Any) -> str:
    if response.status_code == 302:
        return "signed in"
    content = response.content.decode()
    if LOCKED_MESSAGE in content:
        return "locked"
    if NETWORK_MESSAGE in content:
        return "network"
    if WRONG_MESSAGE in content:
        return "wrong"
    return f"unexpected {response.status_code}"


@pytest.fixture
def account(db: Any) -> User:
    return User.objects.create_user("leder@office.test", RIGHT, full_name="Leder")


@pytest.fixture
def checked(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every password check, as the id of the account checked; safe to append to from threads."""
    calls: list[int] = []
    lock = threading.Lock()
    original = User.check_password

    def counting(self: User, raw_password: str | None) -> bool:
        with lock:
            calls.append(self.pk)
        return original(self, raw_password)

    monkeypatch.setattr(User, "check_password", counting)
    return calls


def _in_parallel(count: int, attempt: Any) -> list[Any]:
    """Run attempt(i) for i in range(count), all released at once, each thread on its own connection."""
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = attempt(i)
        except BaseException as exc:  # noqa: BLE001 - reported by the test below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    return results


# Parallel attempts -----------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_forty_parallel_attempts_from_one_address_check_exactly_the_allowed_number(
    settings: Any, checked: list[int]
) -> None:
    user = User.objects.create_user("target@office.test", RIGHT)
    limit = settings.LAERA_LOGIN_CLIENT_ACCOUNT_LIMIT

    responses = _in_parallel(40, lambda i: _sign_in("target@office.test", f"guess-{i}"))

    outcomes = [_outcome(r) for r in responses]
    assert outcomes.count("wrong") == limit, outcomes
    assert outcomes.count("locked") == 40 - limit, outcomes
    assert checked == [user.pk] * limit
    # The right password is refused too, unchecked, until the window ends.
    assert _outcome(_sign_in("target@office.test", RIGHT)) == "locked"
    assert len(checked) == limit


@pytest.mark.django_db(transaction=True)
def test_forty_parallel_attempts_from_forty_addresses_stop_at_the_account_limit(
    settings: Any, checked: list[int]
) -> None:
    User.objects.create_user("target@office.test", RIGHT)
    limit = settings.LAERA_LOGIN_ACCOUNT_LIMIT
    assert limit < 40

    responses = _in_parallel(40, lambda i: _sign_in("target@office.test", f"guess-{i}", f"203.0.113.{i + 1}"))

    outcomes = [_outcome(r) for r in responses]
    assert outcomes.count("wrong") == limit, outcomes
    assert outcomes.count("locked") == 40 - limit, outcomes
    assert len(checked) == limit


# Limits ---------------------------------------------------------------------------------------------


def test_five_typos_behind_one_address_do_not_lock_out_the_office(account: User, checked: list[int]) -> None:
    """The NAT case: five failures on five unknown e-mails, then someone else's right password."""
    for i in range(5):
        assert _outcome(_sign_in(f"nobody-{i}@office.test", "typo")) == "wrong"
    assert _outcome(_sign_in("leder@office.test", RIGHT)) == "signed in"


def test_the_account_lock_holds_across_addresses(settings: Any, account: User, checked: list[int]) -> None:
    limit = settings.LAERA_LOGIN_ACCOUNT_LIMIT
    for i in range(limit):
        assert _outcome(_sign_in("leder@office.test", "guess", f"192.0.2.{i + 1}")) == "wrong"
    # From a new address, even the right password is refused without being checked.
    assert _outcome(_sign_in("leder@office.test", RIGHT, "198.51.100.200")) == "locked"
    assert len(checked) == limit
    # The addresses used are not locked for other accounts.
    User.objects.create_user("ansatt@office.test", RIGHT)
    assert _outcome(_sign_in("ansatt@office.test", RIGHT, "192.0.2.1")) == "signed in"


def test_the_pair_lock_is_per_address(settings: Any, account: User) -> None:
    for _ in range(settings.LAERA_LOGIN_CLIENT_ACCOUNT_LIMIT):
        _sign_in("leder@office.test", "guess", "192.0.2.10")
    assert _outcome(_sign_in("leder@office.test", RIGHT, "192.0.2.10")) == "locked"
    # The owner at the office, on another address, still signs in.
    assert _outcome(_sign_in("leder@office.test", RIGHT, "192.0.2.11")) == "signed in"


def test_unknown_addresses_are_counted_like_accounts(settings: Any, db: Any) -> None:
    for _ in range(settings.LAERA_LOGIN_CLIENT_ACCOUNT_LIMIT):
        assert _outcome(_sign_in("nobody@office.test", "guess")) == "wrong"
    assert _outcome(_sign_in("nobody@office.test", "guess")) == "locked"


def test_the_ceiling_per_address_refuses_unchecked(settings: Any, account: User, checked: list[int]) -> None:
    settings.LAERA_LOGIN_CLIENT_LIMIT = 8
    for i in range(8):
        assert _outcome(_sign_in(f"nobody-{i}@office.test", "guess", "192.0.2.50")) == "wrong"
    assert _outcome(_sign_in("leder@office.test", RIGHT, "192.0.2.50")) == "network"
    assert checked == []
    assert _outcome(_sign_in("leder@office.test", RIGHT, "192.0.2.51")) == "signed in"


def test_successful_sign_ins_give_their_count_on_the_address_back(settings: Any, account: User) -> None:
    settings.LAERA_LOGIN_CLIENT_LIMIT = 3
    for _ in range(6):
        assert _outcome(_sign_in("leder@office.test", RIGHT, "192.0.2.60")) == "signed in"


def test_a_successful_sign_in_clears_the_accounts_failures(settings: Any, account: User) -> None:
    limit = settings.LAERA_LOGIN_CLIENT_ACCOUNT_LIMIT
    for _ in range(limit - 1):
        _sign_in("leder@office.test", "guess")
    assert _outcome(_sign_in("leder@office.test", RIGHT)) == "signed in"
    for _ in range(limit):
        assert _outcome(_sign_in("leder@office.test", "guess")) == "wrong"
    assert _outcome(_sign_in("leder@office.test", "guess")) == "locked"


def test_refused_attempts_leave_no_count(settings: Any, account: User) -> None:
    limit = settings.LAERA_LOGIN_CLIENT_ACCOUNT_LIMIT
    for _ in range(limit + 10):
        _sign_in("leder@office.test", "guess")
    counts = sorted(ThrottleCounter.objects.values_list("count", flat=True))
    assert counts == [limit, limit, limit]  # address, address and account, account


def test_the_lock_ends_with_its_window(settings: Any, account: User, monkeypatch: pytest.MonkeyPatch) -> None:
    for _ in range(settings.LAERA_LOGIN_CLIENT_ACCOUNT_LIMIT):
        _sign_in("leder@office.test", "guess")
    response = _sign_in("leder@office.test", RIGHT)
    assert _outcome(response) == "locked"
    assert "Wait 15 minutes" in response.content.decode()
    later = throttle.now() + settings.LAERA_LOGIN_WINDOW_SECONDS
    monkeypatch.setattr(throttle, "now", lambda: later)
    assert _outcome(_sign_in("leder@office.test", RIGHT)) == "signed in"


def test_expired_counters_are_purged(db: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    throttle.increment("test:old", 60)
    throttle.increment("test:new", 3600)
    later = throttle.now() + 120
    monkeypatch.setattr(throttle, "now", lambda: later)
    assert throttle.purge_expired() == 1
    assert list(ThrottleCounter.objects.values_list("key", flat=True)) == ["test:new"]


def test_counters_hold_no_addresses_in_the_clear(account: User) -> None:
    _sign_in("leder@office.test", "guess", "192.0.2.77")
    keys = " ".join(ThrottleCounter.objects.values_list("key", flat=True))
    assert "leder" not in keys and "192.0.2.77" not in keys


def test_the_admin_sign_in_is_throttled_too(settings: Any, checked: list[int], db: Any) -> None:
    User.objects.create_superuser("drift@office.test", RIGHT)
    client = Client(REMOTE_ADDR="192.0.2.90")
    for _ in range(settings.LAERA_LOGIN_CLIENT_ACCOUNT_LIMIT + 3):
        client.post("/admin/login/", {"username": "drift@office.test", "password": "guess"})
    response = client.post("/admin/login/?next=/admin/", {"username": "drift@office.test", "password": RIGHT})
    assert response.status_code == 200  # not signed in
    assert len(checked) == settings.LAERA_LOGIN_CLIENT_ACCOUNT_LIMIT


def test_the_lock_message_is_translated(settings: Any, account: User) -> None:
    for _ in range(settings.LAERA_LOGIN_CLIENT_ACCOUNT_LIMIT):
        _sign_in("leder@office.test", "guess")
    response = Client(REMOTE_ADDR="198.51.100.7").post(
        LOGIN, {"email": "leder@office.test", "password": RIGHT}, HTTP_ACCEPT_LANGUAGE="nb"
    )
    with translation.override("nb"):
        expected = translation.ngettext(
            "Too many failed sign-in attempts for this account. Wait %(minutes)s minute and try again, "
            "or reset your password.",
            "Too many failed sign-in attempts for this account. Wait %(minutes)s minutes and try again, "
            "or reset your password.",
            15,
        ) % {"minutes": 15}
    assert expected in response.content.decode()


# The client's address ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("proxies", "forwarded", "remote", "expected"),
    [
        # No trusted proxy: the header is ignored, whatever it says.
        (0, "203.0.113.9", "10.0.0.1", "10.0.0.1"),
        (0, "", "10.0.0.1", "10.0.0.1"),
        # One proxy appends the client's address: the last entry.
        (1, "203.0.113.9", "10.0.0.1", "203.0.113.9"),
        (1, "6.6.6.6, 203.0.113.9", "10.0.0.1", "203.0.113.9"),  # the client's own entry is ignored
        (1, " 203.0.113.9 ", "10.0.0.1", "203.0.113.9"),
        (1, "2001:db8::1", "10.0.0.1", "2001:db8::1"),
        (1, "[2001:db8::1]", "10.0.0.1", "2001:db8::1"),
        # Two proxies: the second entry from the right.
        (2, "203.0.113.9, 10.0.0.2", "10.0.0.1", "203.0.113.9"),
        (2, "6.6.6.6, 7.7.7.7, 203.0.113.9, 10.0.0.2", "10.0.0.1", "203.0.113.9"),
        # Short, empty or malformed headers fall back to the nearest peer.
        (2, "203.0.113.9", "10.0.0.1", "10.0.0.1"),
        (1, "", "10.0.0.1", "10.0.0.1"),
        (1, "not-an-address", "10.0.0.1", "10.0.0.1"),
        (2, "203.0.113.9:443, 10.0.0.2", "10.0.0.1", "10.0.0.1"),
        (1, "6.6.6.6,", "10.0.0.1", "10.0.0.1"),
        (0, "", "", "unknown"),
    ],
)
def test_client_address_behind_trusted_proxies(
    settings: Any, proxies: int, forwarded: str, remote: str, expected: str
) -> None:
    settings.LAERA_TRUSTED_PROXY_COUNT = proxies
    meta = {"REMOTE_ADDR": remote}
    if forwarded:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    request = RequestFactory().get("/", **meta)
    assert client_address(request) == expected


def test_a_spoofed_forwarded_header_does_not_escape_the_lock(settings: Any, account: User) -> None:
    settings.LAERA_TRUSTED_PROXY_COUNT = 1
    for i in range(settings.LAERA_LOGIN_CLIENT_ACCOUNT_LIMIT):
        response = _sign_in(
            "leder@office.test", "guess", "10.0.0.1", HTTP_X_FORWARDED_FOR=f"6.6.6.{i}, 203.0.113.9"
        )
        assert _outcome(response) == "wrong"
    response = _sign_in("leder@office.test", RIGHT, "10.0.0.1", HTTP_X_FORWARDED_FOR="7.7.7.7, 203.0.113.9")
    assert _outcome(response) == "locked"
    # Another client behind the same proxy is another address.
    response = _sign_in("leder@office.test", RIGHT, "10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.10")
    assert _outcome(response) == "signed in"


# Password reset -------------------------------------------------------------------------------------


def _reset(email: str, address: str = "198.51.100.7") -> Any:
    return Client(REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE="en").post(RESET, {"email": email})


def test_password_reset_is_limited_per_email_address(settings: Any, account: User) -> None:
    limit = settings.LAERA_PASSWORD_RESET_EMAIL_LIMIT
    for i in range(limit):
        assert _reset("leder@office.test", f"192.0.2.{i + 1}").status_code == 302
    refused = _reset("leder@office.test", "192.0.2.200")
    assert refused.status_code == 200
    assert RESET_MESSAGE in refused.content.decode()
    assert len(mail.outbox) == limit


def test_password_reset_limit_does_not_tell_whether_the_account_exists(settings: Any, account: User) -> None:
    limit = settings.LAERA_PASSWORD_RESET_EMAIL_LIMIT
    answers = {}
    for email in ("leder@office.test", "nobody@office.test"):
        statuses = [_reset(email, f"192.0.2.{i + 1}").status_code for i in range(limit)]
        refused = _reset(email, "192.0.2.200")
        answers[email] = (statuses, refused.status_code, RESET_MESSAGE in refused.content.decode())
    assert answers["leder@office.test"] == answers["nobody@office.test"] == ([302] * limit, 200, True)


def test_password_reset_is_limited_per_client_address(settings: Any, account: User) -> None:
    limit = settings.LAERA_PASSWORD_RESET_CLIENT_LIMIT
    for i in range(limit):
        assert _reset(f"nobody-{i}@office.test", "192.0.2.99").status_code == 302
    refused = _reset("leder@office.test", "192.0.2.99")
    assert RESET_MESSAGE in refused.content.decode()
    assert mail.outbox == []
    assert _reset("leder@office.test", "192.0.2.100").status_code == 302
    assert len(mail.outbox) == 1


def _person(user: User | None, *, active: bool = True, organisation_active: bool = True) -> Person:
    organisation = Organisation.objects.create(
        name="NAV Kontor", slug="kontor", is_active=organisation_active
    )
    return Person.objects.create(
        organisation=organisation,
        user=user,
        full_name="Ny Ansatt",
        email=user.email if user else "",
        is_active=active,
    )


def _reset_link(message: Any) -> str:
    link = re.search(r"https?://[^/]+(/accounts/password-reset/\S+/)", message.body)
    assert link, message.body
    return link.group(1)


def test_an_account_without_a_password_chooses_its_first_one(db: Any) -> None:
    user = User.objects.create_user("ny@office.test", full_name="Ny Ansatt")
    assert not user.has_usable_password()
    _person(user)
    assert _reset("ny@office.test").status_code == 302
    assert len(mail.outbox) == 1
    client = Client()
    page = client.get(_reset_link(mail.outbox[0]), follow=True)
    form_url = page.redirect_chain[-1][0]
    saved = client.post(
        form_url, {"new_password1": "first-password-12", "new_password2": "first-password-12"}
    )
    assert saved.status_code == 302
    assert _outcome(_sign_in("ny@office.test", "first-password-12")) == "signed in"


@pytest.mark.parametrize(
    "case", ["no person", "inactive person", "inactive organisation", "inactive account"]
)
def test_no_link_without_an_active_person_or_for_an_inactive_account(db: Any, case: str) -> None:
    user = User.objects.create_user("ny@office.test", is_active=case != "inactive account")
    if case != "no person":
        _person(user, active=case != "inactive person", organisation_active=case != "inactive organisation")
    assert _reset("ny@office.test").status_code == 302
    assert mail.outbox == []


def test_an_inactive_account_with_a_password_gets_no_link(db: Any) -> None:
    User.objects.create_user("gone@office.test", RIGHT, is_active=False)
    assert _reset("gone@office.test").status_code == 302
    assert mail.outbox == []


def test_the_reset_email_and_page_speak_the_accounts_language(db: Any) -> None:
    User.objects.create_user("ny@office.test", RIGHT, language="sv")
    _reset("ny@office.test")  # asked for in English
    with translation.override("sv"):
        subject = translation.gettext("Choose a new password for Læra")
        heading = translation.gettext("Choose a new password")
    assert subject != "Choose a new password for Læra"
    assert mail.outbox[0].subject == subject
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    page = client.get(_reset_link(mail.outbox[0]), follow=True)
    assert heading in page.content.decode()
    assert page.context["LANGUAGE_CODE"] == "sv"


def test_the_reset_email_uses_the_organisations_language_without_a_choice(db: Any) -> None:
    user = User.objects.create_user("ny@office.test")
    person = _person(user)
    Organisation.objects.filter(pk=person.organisation_id).update(default_language="da")
    _reset("ny@office.test")
    with translation.override("da"):
        assert mail.outbox[0].subject == translation.gettext("Choose a new password for Læra")


# /healthz and headers -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_healthz_tells_anonymous_callers_only_the_status(settings: Any) -> None:
    settings.LAERA_HEALTH_TOKEN = "monitoring-token-0123456789"
    for headers in ({}, {"X-Health-Token": "wrong-token"}, {"X-Health-Token": ""}):
        response = Client().get("/healthz", headers=headers)
        assert response.status_code == 200
        assert response.json() == {"status": "ok"}, headers
        assert connection.vendor not in response.content.decode()


@pytest.mark.django_db
def test_healthz_details_for_operators_and_the_token(settings: Any) -> None:
    settings.LAERA_HEALTH_TOKEN = "monitoring-token-0123456789"
    details = {"status": "ok", "database": "ok", "vendor": connection.vendor}
    with_token = Client().get("/healthz", headers={"X-Health-Token": "monitoring-token-0123456789"})
    assert with_token.json() == details
    operator = Client()
    operator.force_login(User.objects.create_user("drift@office.test", RIGHT, is_staff=True))
    assert operator.get("/healthz").json() == details
    member = Client()
    member.force_login(User.objects.create_user("ansatt@office.test", RIGHT))
    assert member.get("/healthz").json() == {"status": "ok"}


@pytest.mark.django_db
def test_no_token_is_accepted_when_none_is_set(settings: Any) -> None:
    settings.LAERA_HEALTH_TOKEN = ""
    assert Client().get("/healthz", headers={"X-Health-Token": ""}).json() == {"status": "ok"}


@pytest.mark.django_db
@pytest.mark.parametrize("path", [LOGIN, "/healthz", "/no-such-page/", "/accessibility/"])
def test_every_response_sends_a_permissions_policy(path: str) -> None:
    policy = Client().get(path)["Permissions-Policy"]
    features = dict(item.strip().split("=", 1) for item in policy.split(","))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "interest-cohort"):
        assert features[feature] == "()", (feature, policy)


# Production guards ----------------------------------------------------------------------------------


def _production(**env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "CACHE_URL", "WEB_CONCURRENCY", "LAERA_WORKERS")
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="laera.config.settings.production",
        SECRET_KEY="a-long-and-random-production-secret-key-0123456789-abcdefghijklmnop",
        DATABASE_URL="sqlite:////tmp/laera-production-guard.sqlite3",
        ALLOWED_HOSTS="laera.example.no",
    )
    environment.update(env)
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.LAERA_WORKERS, s.LAERA_TRUSTED_PROXY_COUNT, repr(s.LAERA_HEALTH_TOKEN), "
        "s.LAERA_LOGIN_CLIENT_LIMIT)"
    )
    return subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize("variable", ["WEB_CONCURRENCY", "LAERA_WORKERS"])
def test_production_refuses_several_workers_without_a_shared_cache(variable: str) -> None:
    result = _production(**{variable: "4"})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "4 worker processes" in result.stderr and "CACHE_URL" in result.stderr


def test_production_runs_several_workers_with_a_shared_cache() -> None:
    result = _production(WEB_CONCURRENCY="4", CACHE_URL="redis://127.0.0.1:6379/1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "4"


def test_production_runs_one_worker_without_a_shared_cache() -> None:
    result = _production(WEB_CONCURRENCY="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["1", "0", "''", "100"]


def test_production_reads_proxies_token_and_limits() -> None:
    result = _production(TRUSTED_PROXY_COUNT="2", HEALTH_TOKEN="tok-123", LOGIN_CLIENT_LIMIT="300")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["1", "2", "'tok-123'", "300"]


@pytest.mark.parametrize(
    "env", [{"TRUSTED_PROXY_COUNT": "one"}, {"WEB_CONCURRENCY": "-1"}, {"LOGIN_CLIENT_LIMIT": "0"}]
)
def test_production_refuses_bad_numbers(env: dict[str, str]) -> None:
    result = _production(**env)
    assert result.returncode != 0
    assert next(iter(env)) in result.stderr


class _Server:
    def __init__(self, workers: int) -> None:
        self.cfg = type("Config", (), {"workers": workers})()


def test_gunicorn_refuses_several_workers_without_a_shared_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CACHE_URL", raising=False)
    monkeypatch.setenv("LAERA_WORKERS", "")  # restored after the test
    with pytest.raises(RuntimeError, match="3 gunicorn workers without a shared cache"):
        gunicorn_config.on_starting(_Server(3))
    gunicorn_config.on_starting(_Server(1))
    assert os.environ["LAERA_WORKERS"] == "1"
    monkeypatch.setenv("CACHE_URL", "redis://cache:6379/0")
    gunicorn_config.on_starting(_Server(3))
    assert os.environ["LAERA_WORKERS"] == "3"


def test_an_ipv6_network_counts_as_one_address(settings: Any, account: User) -> None:
    """One connection usually has a whole /64: stepping through it does not reset the pair's count."""
    for i in range(settings.LAERA_LOGIN_CLIENT_ACCOUNT_LIMIT):
        assert _outcome(_sign_in("leder@office.test", "guess", f"2001:db8:1:2::{i + 1:x}")) == "wrong"
    assert _outcome(_sign_in("leder@office.test", RIGHT, "2001:db8:1:2:ffff::9")) == "locked"
    assert _outcome(_sign_in("leder@office.test", RIGHT, "2001:db8:1:3::1")) == "signed in"


def test_the_reset_page_follows_the_browsers_choice_before_the_organisations(db: Any) -> None:
    user = User.objects.create_user("ny@office.test")
    person = _person(user)
    Organisation.objects.filter(pk=person.organisation_id).update(default_language="da")
    _reset("ny@office.test")
    link = _reset_link(mail.outbox[0])
    assert Client().get(link, follow=True).context["LANGUAGE_CODE"] == "da"
    chosen = Client()
    chosen.post("/accounts/language/", {"language": "en"})
    assert chosen.get(link, follow=True).context["LANGUAGE_CODE"] == "en"
