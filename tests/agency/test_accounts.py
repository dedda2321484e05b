"""Logging in, rate limiting, password reset and change."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD


def _login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_login_with_the_right_password_opens_home(world, client):
    response = _login(client, "alpha-manager", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.parametrize("username", ["alpha-dispatcher", "alpha-supervisor", "alpha-finance"])
def test_login_opens_the_home_page_of_the_members_work(world, client, username):
    assert _login(client, username, PASSWORD)["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200


def test_login_takes_field_staff_on_to_their_jobs(world, client):
    home = client.get(_login(client, "alpha-staff", PASSWORD)["Location"])
    assert home["Location"] == reverse("my_jobs")
    assert client.get(home["Location"]).status_code == 200


def test_wrong_password_shows_an_error_and_keeps_the_username(world, client):
    response = _login(client, "alpha-dispatcher", "wrong")
    assert response.status_code == 200
    assert response.context["form"].errors
    assert 'value="alpha-dispatcher"' in response.content.decode()


def test_five_failures_lock_the_login_out_even_with_the_right_password(world, client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "alpha-dispatcher", "wrong")
    response = _login(client, "alpha-dispatcher", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_username_so_colleagues_can_still_log_in(world, client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "alpha-dispatcher", "wrong")
    assert _login(client, "alpha-manager", PASSWORD).status_code == 302


def test_api_token_login_is_rate_limited_too(world, client, settings):
    url = reverse("api_token")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": "alpha-manager", "password": "wrong"})
    response = client.post(url, {"username": "alpha-manager", "password": PASSWORD})
    assert response.status_code == 429
    assert "token" not in response.json()


def test_api_token_login_returns_a_token_that_authenticates(world, client):
    response = client.post(
        reverse("api_token"), {"username": "alpha-manager", "password": PASSWORD}
    )
    token = response.json()["token"]
    me = client.get(reverse("api_me"), HTTP_AUTHORIZATION=f"Token {token}").json()
    assert me["user"]["username"] == "alpha-manager"
    assert me["active_membership"]["agency"]["slug"] == "alpha"


def test_password_reset_by_email_sets_a_new_password(world, client):
    user = world.a.user("manager")
    response = client.post(reverse("password_reset"), {"email": user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", mail.outbox[0].body).group(1)

    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]
    new_password = "a-much-better-passphrase-2026"
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert done.status_code == 302
    assert _login(client, user.username, new_password).status_code == 302


def test_password_reset_for_an_unknown_address_says_the_same_and_sends_nothing(world, client):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_password_change_requires_the_old_password(world, client_for):
    client = client_for(world.a.user("dispatcher"))
    bad = client.post(
        reverse("password_change"),
        {
            "old_password": "wrong",
            "new_password1": "n3w-passphrase!",
            "new_password2": "n3w-passphrase!",
        },
    )
    assert bad.status_code == 200
    assert "old_password" in bad.context["form"].errors
    good = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "n3w-passphrase!",
            "new_password2": "n3w-passphrase!",
        },
    )
    assert good.status_code == 302


def test_logout_is_a_post_and_ends_the_session(world, client_for):
    client = client_for(world.a.user("dispatcher"))
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_one_password_sprayed_over_many_accounts_locks_the_address(world, client, settings):
    settings.AXES_ADDRESS_FAILURE_LIMIT = 8
    usernames = [f"guess-{n}" for n in range(settings.AXES_ADDRESS_FAILURE_LIMIT - 1)]
    for username in usernames:
        _login(client, username, "Spring2026!")
    # Below the address limit, and under the per-account limit, a colleague still gets in.
    assert _login(client, "alpha-manager", PASSWORD).status_code == 302
    client.logout()
    _login(client, "one-more-guess", "Spring2026!")
    assert _login(client, "alpha-dispatcher", PASSWORD).status_code == 429
    # Another address is not held up.
    assert (
        client.post(
            reverse("login"),
            {"username": "alpha-dispatcher", "password": PASSWORD},
            REMOTE_ADDR="203.0.113.9",
        ).status_code
        == 302
    )


def _token(username="alpha-manager", password=PASSWORD):
    response = Client().post(reverse("api_token"), {"username": username, "password": password})
    assert response.status_code == 200, response.content
    return response.json()["token"]


def _me(token):
    return Client().get(reverse("api_me"), HTTP_AUTHORIZATION=f"Token {token}").status_code


def test_each_api_login_gets_its_own_token_and_it_expires(world, settings):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        first, second = _token(), _token()
        assert first != second
        assert (_me(first), _me(second)) == (200, 200)
        clock.shift(settings.REST_KNOX["TOKEN_TTL"] - timedelta(minutes=1))
        assert _me(first) == 200
        clock.shift(timedelta(minutes=2))
        assert (_me(first), _me(second)) == (401, 401)


def test_changing_the_password_ends_the_accounts_api_tokens(world, client_for):
    token, colleague = _token("alpha-dispatcher"), _token("alpha-manager")
    new = "n3w-passphrase!"
    changed = client_for(world.a.user("dispatcher")).post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert changed.status_code == 302
    assert (_me(token), _me(colleague)) == (401, 200)
    assert _me(_token("alpha-dispatcher", new)) == 200


def test_resetting_the_password_ends_the_accounts_api_tokens(world, client):
    token = _token()
    client.post(reverse("password_reset"), {"email": world.a.user("manager").email})
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    new = "a-much-better-passphrase-2026"
    client.post(form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert _me(token) == 401


def test_logging_out_of_the_site_ends_the_accounts_api_tokens(world, client_for):
    token = _token("alpha-dispatcher")
    assert client_for(world.a.user("dispatcher")).post(reverse("logout")).status_code == 302
    assert _me(token) == 401


def test_the_api_logout_ends_only_the_token_it_is_called_with(world):
    phone, laptop = _token(), _token()
    response = Client().post(reverse("api_logout"), HTTP_AUTHORIZATION=f"Token {phone}")
    assert response.status_code == 204
    assert (_me(phone), _me(laptop)) == (401, 200)
