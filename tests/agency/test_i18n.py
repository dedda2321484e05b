"""Pages in Simplified Chinese and English: agency default, user override, switcher."""

from django.urls import reverse

from agency.models import Role


def test_a_chinese_agency_gets_chinese_pages(world, client_for):
    world.a.agency.default_language = "zh-hans"
    world.a.agency.save()
    page = client_for(world.a.user(Role.DISPATCHER)).get(reverse("home"))
    html = page.content.decode()
    assert page["Content-Language"] == "zh-hans"
    assert '<html lang="zh-hans">' in html
    assert "首页" in html and "退出登录" in html


def test_an_english_agency_gets_english_pages(world, client_for):
    world.b.agency.default_language = "en"
    world.b.agency.save()
    html = client_for(world.b.user(Role.DISPATCHER)).get(reverse("home")).content.decode()
    assert "Log out" in html and "退出登录" not in html


def test_the_users_choice_overrides_the_agency_default_and_is_kept(world, client_for):
    world.a.agency.default_language = "zh-hans"
    world.a.agency.save()
    user = world.a.user(Role.DISPATCHER)
    client = client_for(user)
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("home")})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    user.refresh_from_db()
    assert user.preferred_language == "en"
    assert "Log out" in client.get(reverse("home")).content.decode()


def test_the_login_page_follows_the_language_switch(world, client):
    client.post(reverse("set_language"), {"language": "zh-hans"})
    assert "登录" in client.get(reverse("login")).content.decode()
    client.post(reverse("set_language"), {"language": "en"})
    assert "Log in" in client.get(reverse("login")).content.decode()


def test_an_unknown_language_changes_nothing(world, client_for):
    user = world.a.user(Role.DISPATCHER)
    client_for(user).post(reverse("set_language"), {"language": "xx"})
    user.refresh_from_db()
    assert user.preferred_language == ""


def test_the_switcher_does_not_redirect_off_site(world, client):
    response = client.post(
        reverse("set_language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert not response["Location"].startswith("https://evil.example")


def test_dates_follow_the_language(world, client_for):
    world.a.agency.default_language = "zh-hans"
    world.a.agency.save()
    html = client_for(world.a.user(Role.DISPATCHER)).get(reverse("home")).content.decode()
    assert "年" in html and "月" in html and "日" in html
