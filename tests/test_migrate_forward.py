"""A database of the layout before the restructuring migrates forward with its data intact.

Until then the document counter was the orders app's and no sweep kept a cursor: agency
stood at 0013, orders at 0015 and feedback at 0006. The test takes the test database back
there, writes a small agency's history with the models of that time, migrates to the newest
migrations and reads everything back: the same rows, numbering going on from the counter,
and the cursors placed where the old sweeps stopped.
"""

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps as current
from django.db import connection, transaction
from django.db.backends.postgresql.psycopg_any import DateRange
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from agency.numbering import next_number
from orders.events import SETTLE, unread_events

pytestmark = pytest.mark.slow

#: The newest migrations of the layout before: what a database deployed then had applied.
BEFORE = [
    ("agency", "0013_check_in_opens_minutes"),
    ("orders", "0015_bound_text_lengths_and_dates"),
    ("feedback", "0006_bound_text_lengths_and_dates"),
]
#: Tables the newer migrations create.
NEW_TABLES = {"orders_eventcursor", "feedback_periodiccursor"}
#: The rows compared before and after, as (app, model) then and now.
KEPT = [
    (("agency", "Agency"), ("agency", "Agency")),
    (("agency", "Branch"), ("agency", "Branch")),
    (("agency", "User"), ("agency", "User")),
    (("agency", "Membership"), ("agency", "Membership")),
    (("orders", "Customer"), ("orders", "Customer")),
    (("orders", "CustomerAddress"), ("orders", "CustomerAddress")),
    (("orders", "ServiceType"), ("orders", "ServiceType")),
    (("orders", "Price"), ("orders", "Price")),
    (("orders", "NeedsForm"), ("orders", "NeedsForm")),
    (("orders", "Order"), ("orders", "Order")),
    (("orders", "OrderEvent"), ("orders", "OrderEvent")),
    (("orders", "DocumentCounter"), ("agency", "DocumentCounter")),
    (("feedback", "FeedbackRequest"), ("feedback", "FeedbackRequest")),
    (("feedback", "Revisit"), ("feedback", "Revisit")),
]
SHANGHAI = ZoneInfo("Asia/Shanghai")


def rows(apps, app_model: tuple[str, str], columns: Iterable[str] | None = None) -> list[dict]:
    """The table's rows, in `columns` (all of them if None): a later migration may add a
    column, and what is compared is what was there before."""
    found = apps.get_model(*app_model).objects.order_by("pk")
    return list(found.values(*(columns or ())))


def seed(apps) -> dict:
    """A small agency's history, written with the models of the layout before: a customer
    served twice (both accepted), one order already asked for feedback and called, the
    other accepted after the old sweeps' last run, and the order counter at 41."""
    get = apps.get_model
    agency = get("agency", "Agency").objects.create(name="Alpha 家政", slug="alpha")
    branch = get("agency", "Branch").objects.create(agency=agency, name="Xuhui", code="xuhui")
    users = {}
    for role in ("manager", "dispatcher"):
        user = get("agency", "User").objects.create(
            username=f"alpha-{role}", password="!", first_name=role.title()
        )
        get("agency", "Membership").objects.create(agency=agency, user=user, role=role)
        users[role] = user
    customer = get("orders", "Customer").objects.create(
        agency=agency, name="Wang Fang", phone="13800000000"
    )
    address = get("orders", "CustomerAddress").objects.create(
        agency=agency, customer=customer, district="Xuhui", detail="Tianyaoqiao Road 1"
    )
    cleaning = get("orders", "ServiceType").objects.create(
        agency=agency,
        code="deep-clean",
        name_zh="深度保洁",
        name_en="Deep cleaning",
        category="cleaning",
        pricing_unit="hour",
    )
    get("orders", "Price").objects.create(
        agency=agency,
        service_type=cleaning,
        unit_price=Decimal("55.00"),
        valid_during=DateRange(date(2026, 1, 1), None),
    )
    get("orders", "DocumentCounter").objects.create(
        agency=agency, kind="order", year=2026, last_value=41
    )
    needs = get("orders", "NeedsForm").objects.create(
        agency=agency,
        customer=customer,
        service_type=cleaning,
        address=address,
        schedule_kind="one_off",
        start_date=date(2026, 8, 1),
        time_start=time(9),
        time_end=time(12),
        pets="a cat",
        created_by=users["dispatcher"],
    )
    events = {}
    for number, day in (("2026-00040", 1), ("2026-00041", 20)):
        starts = datetime(2026, 8, day, 9, tzinfo=SHANGHAI)
        order = get("orders", "Order").objects.create(
            agency=agency,
            number=number,
            branch=branch,
            customer=customer,
            needs_form=needs,
            service_type=cleaning,
            status="accepted",
            starts_at=starts,
            ends_at=starts + timedelta(hours=3),
            created_by=users["dispatcher"],
        )
        for old, new in (("intake", "confirmed"), ("confirmed", "accepted")):
            events[(number, new)] = (
                get("orders", "OrderEvent")
                .objects.create(
                    agency=agency,
                    order=order,
                    from_status=old,
                    to_status=new,
                    actor=users["dispatcher"],
                )
                .pk
            )
        get("feedback", "Revisit").objects.create(
            agency=agency,
            customer=customer,
            order=order,
            kind="thank_you_letter",
            source=f"order-{order.pk}-thank_you_letter",
            due_at=starts + timedelta(days=7),
        )
        if number == "2026-00040":
            # The old sweeps handled this acceptance: feedback asked, the call planned.
            now = timezone.now()
            get("feedback", "FeedbackRequest").objects.create(
                agency=agency,
                order=order,
                customer=customer,
                sent_at=now,
                expires_at=now + timedelta(days=14),
            )
            get("feedback", "Revisit").objects.create(
                agency=agency,
                customer=customer,
                order=order,
                kind="satisfaction_call",
                source=f"order-{order.pk}-satisfaction_call",
                due_at=now + timedelta(days=1),
            )
    return {
        "agency": agency.pk,
        "waiting": events[("2026-00041", "accepted")],
        "last ends": order.ends_at,
    }


def test_a_database_of_the_layout_before_migrates_forward_with_its_data(migrator):
    # Back from the migrated test database, not the library's clean start
    # (apply_initial_migration): its plan, cut after the last target, would apply the newer
    # migrations that sort before feedback 0006, and replaying orders 0008 from scratch
    # meets the trigger function left behind. The fixture migrates to the newest at the end.
    old = migrator.apply_tested_migration(BEFORE).apps
    assert not NEW_TABLES & set(connection.introspection.table_names())
    assert old.get_model("orders", "DocumentCounter")._meta.db_table == "orders_documentcounter"
    seeded = seed(old)
    before = [rows(old, then) for then, _ in KEPT]
    assert all(before)

    new = migrator.apply_tested_migration(MigrationLoader(connection).graph.leaf_nodes()).apps
    loader = MigrationLoader(connection)
    assert set(loader.applied_migrations) == set(loader.graph.nodes)

    # Every row is there with the same values, the counter now under agency.
    assert [
        rows(new, now, list(old_rows[0])) for (_, now), old_rows in zip(KEPT, before, strict=True)
    ] == before
    # The data migrations placed each cursor where the old sweeps stopped: the acceptance
    # they had not handled yet is read next, and the repeat customer's periodic revisit,
    # due since the last service, is still to plan.
    cursors = dict(new.get_model("orders", "EventCursor").objects.values_list())
    assert cursors["feedback.requests"] == cursors["feedback.revisits"] == seeded["waiting"] - 1
    (periodic,) = new.get_model("feedback", "PeriodicCursor").objects.values_list("agency", "until")
    assert periodic == (seeded["agency"], seeded["last ends"] - timedelta(microseconds=1))

    # The app as it is now numbers on from the counter and reads the events after a cursor.
    agency = current.get_model("agency", "Agency").objects.get(pk=seeded["agency"])
    with transaction.atomic():
        assert next_number(agency=agency, kind="order", year=2026) == 42
    OrderEvent = current.get_model("orders", "OrderEvent")
    accepted = OrderEvent.objects.filter(to_status="accepted")
    later = timezone.now() + SETTLE + timedelta(minutes=1)
    with unread_events("feedback.requests", accepted, now=later, limit=10) as batch:
        assert [event.pk for event in batch] == [seeded["waiting"]]
    # Read to the end and settled: the cursor moved past the newest event.
    cursor = current.get_model("orders", "EventCursor").objects.get(consumer="feedback.requests")
    assert cursor.last_event_id == OrderEvent.objects.latest("pk").pk
