"""/api/schema/ is generated once per process and language, and stays the same document."""

import pytest
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator

from agency.models import Role
from config.api_schema import CachedSchemaView

JSON = "application/vnd.oai.openapi+json"


@pytest.fixture(autouse=True)
def _no_cached_schema():
    CachedSchemaView.schemas.clear()
    yield
    CachedSchemaView.schemas.clear()


@pytest.fixture
def generations(monkeypatch) -> list[str]:
    """Records each time the generator builds a document (and still builds it)."""
    calls: list[str] = []
    build = SchemaGenerator.get_schema

    def counting(self, *args, **kwargs):
        calls.append("built")
        return build(self, *args, **kwargs)

    monkeypatch.setattr(SchemaGenerator, "get_schema", counting)
    return calls


def test_the_second_request_reuses_the_generated_schema(world, client_for, generations):
    client = client_for(world.a.user(Role.DISPATCHER))
    first = client.get(reverse("api_schema"), HTTP_ACCEPT=JSON)
    second = client.get(reverse("api_schema"), HTTP_ACCEPT=JSON)
    assert first.status_code == second.status_code == 200
    assert generations == ["built"]
    assert first.content == second.content
    assert first["Content-Disposition"] == second["Content-Disposition"]


def test_the_cached_schema_is_the_document_the_generator_builds(world, client_for):
    client = client_for(world.a.user(Role.MANAGER))
    client.get(reverse("api_schema"), HTTP_ACCEPT=JSON)
    cached = client.get(reverse("api_schema"), HTTP_ACCEPT=JSON).json()
    assert cached == SchemaGenerator().get_schema(request=None, public=True)


def test_another_user_gets_the_same_document(world, client_for, generations):
    dispatcher = client_for(world.a.user(Role.DISPATCHER)).get(
        reverse("api_schema"), {"format": "json"}
    )
    outsider = client_for(world.b.user(Role.STAFF)).get(reverse("api_schema"), {"format": "json"})
    assert dispatcher.json() == outsider.json()
    assert generations == ["built"]


def test_each_language_has_its_own_document(world, client_for, generations):
    client = client_for(world.a.user(Role.DISPATCHER))
    url = reverse("api_schema")
    chinese = client.get(url, {"lang": "zh-hans"}, HTTP_ACCEPT=JSON)
    english = client.get(url, {"lang": "en"}, HTTP_ACCEPT=JSON)
    assert client.get(url, {"lang": "zh-hans"}, HTTP_ACCEPT=JSON).content == chinese.content
    assert client.get(url, {"lang": "en"}, HTTP_ACCEPT=JSON).content == english.content
    assert len(generations) == 2


def test_yaml_is_still_the_default_format(world, client_for):
    response = client_for(world.a.user(Role.DISPATCHER)).get(reverse("api_schema"))
    assert response["Content-Type"].startswith("application/vnd.oai.openapi")
    assert response.content.startswith(b"openapi:")


def test_the_schema_still_needs_a_login(client):
    assert client.get(reverse("api_schema")).status_code in (401, 403)
