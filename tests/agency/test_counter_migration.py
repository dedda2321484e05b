"""The document counter moved from orders to agency without touching its table or rows."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from agency.numbering import next_number

pytestmark = pytest.mark.django_db

BEFORE = [
    ("agency", "0013_check_in_opens_minutes"),
    ("orders", "0014_service_photo_checked_and_renamed"),
]


def test_counters_written_under_orders_number_on_under_agency(world):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    assert old.get_model("orders", "DocumentCounter")._meta.db_table == "orders_documentcounter"
    old.get_model("orders", "DocumentCounter").objects.create(
        agency_id=world.a.agency.pk, kind="invoice", year=2026, last_value=41
    )

    # Forward to the newest migrations, the counter's move among them.
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    executor.loader.build_graph()
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []

    assert next_number(agency=world.a.agency, kind="invoice", year=2026) == 42
