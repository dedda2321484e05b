"""A Content-Security-Policy on every page, and pages that fit it."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from agency.models import Role

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR, "templates")


def _policy(response) -> dict[str, list[str]]:
    directives = (d.split() for d in response["Content-Security-Policy"].split(";") if d.strip())
    return {name: values for name, *values in directives}


def test_a_page_sends_a_policy_that_runs_only_our_own_scripts(world, client_for):
    response = client_for(world.a.user(Role.DISPATCHER)).get(reverse("home"))

    policy = _policy(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


def test_the_login_page_sends_the_policy_too():
    assert _policy(Client().get(reverse("login")))["default-src"] == ["'self'"]


def _tags(pattern: str) -> list[str]:
    found = []
    for template in TEMPLATES.rglob("*.html"):
        if template.parts[-2] == "pdf" or template.name.endswith("_pdf.html"):
            continue  # WeasyPrint's input, never served to a browser
        found += [f"{template.name}: {m}" for m in re.findall(pattern, template.read_text())]
    return found


def test_no_template_has_inline_script_event_handlers_or_style():
    assert _tags(r"<script(?![^>]*\bsrc=)[^>]*>") == []
    assert _tags(r"<[^>]*\son[a-z]+=[^>]*>") == []
    assert _tags(r"<[^>]*\sstyle=[^>]*>") == []
    assert _tags(r"<style\b") == []
    assert _tags(r"hx-on") == []


def test_the_api_docs_use_only_our_own_static_files(world, client_for):
    client = client_for(world.a.user(Role.DISPATCHER))
    response = client.get(reverse("api_docs"))
    html = response.content.decode()

    assert response.status_code == 200
    assert "<style" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    addresses = re.findall(r'(?:src|href)="([^"]+)"', html)
    docs = reverse("api_docs")
    assert addresses and all(a.startswith((settings.STATIC_URL, docs)) for a in addresses)
    assert any("swagger-ui-bundle.js" in a for a in addresses)
    # The start-up script it loads is served by the docs view itself, as a script.
    script = client.get(reverse("api_docs") + "?script=")
    assert script["Content-Type"].startswith("application/javascript")
    assert reverse("api_schema") in script.content.decode()
