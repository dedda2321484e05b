"""Logging in, rate limiting, password reset and change."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD


def _login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_login_with_the_right_password_opens_home(world, client):
    response = _login(client, "alpha-manager", PASSWORD)
    assert response.status_code == 302
    assert client.get(response["Location"]).url == reverse("home")
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.parametrize(
    ("username", "page"),
    [
        ("alpha-staff", "my_jobs"),
        ("alpha-dispatcher", "order_board"),
        ("alpha-supervisor", "acceptance_queue"),
        ("alpha-finance", "billing_list"),
    ],
)
def test_login_opens_the_page_of_the_members_work(world, client, username, page):
    start = _login(client, username, PASSWORD)["Location"]
    landing = client.get(start)
    assert landing["Location"] == reverse(page)
    assert client.get(landing["Location"]).status_code == 200


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
