"""The API answers every request its own OpenAPI schema allows (and the near misses
schemathesis derives from it) without a server error, for every office role and field staff.

Bounded so the whole run stays short on a small machine: few examples per operation, a
fixed seed so a failure reproduces, and the clock pinned so the generated dates meet the
same "today" every run.
"""

from datetime import UTC, datetime

import pytest
import schemathesis
import time_machine
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, seed, settings
from knox.models import AuthToken
from schemathesis.checks import not_a_server_error

from agency.models import Role
from tests.conftest import World

TODAY = datetime(2026, 11, 23, 9, tzinfo=UTC)
FUZZED_ROLES = [Role.MANAGER, Role.DISPATCHER, Role.SUPERVISOR, Role.FINANCE, Role.STAFF]

# The document /api/schema/ serves, built by the same generator without a request (the view
# itself needs a logged-in user, and the schema must exist when pytest collects the tests).
schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
schema.app = get_wsgi_application()
# The coverage phase sends every boundary case of every parameter (hundreds per operation);
# generated examples, negative ones included, keep the run within a couple of minutes.
schema.config.phases.coverage.enabled = False


@pytest.fixture
def tokens(world: World) -> list[str]:
    """One API token per role of agency A; every generated request is sent as each."""
    return [AuthToken.objects.create(world.a.user(role))[1] for role in FUZZED_ROLES]


@pytest.fixture(autouse=True)
def _keep_test_connection():
    """The real WSGI handler closes the database connection after each request; the test's
    transaction lives on it (Django's test client disconnects the same handlers)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.slow
@schema.parametrize()
@seed(20261123)
@settings(
    max_examples=3,
    deadline=None,
    derandomize=True,
    # Shrinking a failure can take minutes; the failing request is reported as found.
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_no_server_error(case, tokens: list[str]) -> None:
    with time_machine.travel(TODAY, tick=False):
        for token in tokens:
            case.call_and_validate(
                headers={"Authorization": f"Token {token}"}, checks=[not_a_server_error]
            )
