"""Project-wide checks: migrations, deployment settings, the demo seed."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import Q

from agency.models import Agency, Branch, Membership, User
from orders.models import AcceptanceRound, Invoice, Order, Price, ServiceType
from reports.demo.planning import HISTORY_PREFIX

ROOT = Path(__file__).resolve().parent.parent


def test_models_and_migrations_agree(db):
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.slow
def test_production_settings_pass_the_deploy_check():
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "hearth.example.com",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DEBUG", "maybe"),
        ("SECRET_KEY", None),
        ("SECRET_KEY", "x"),
        ("SECRET_KEY", "ab" * 40),
        ("SECRET_KEY", "django-insecure-" + secrets.token_urlsafe(50)),
        ("DATABASE_URL", "mysql://root@localhost/hearth"),
    ],
)
def test_bad_settings_fail_loudly(variable, value):
    env = {
        **os.environ,
        "DEBUG": "false",
        "ALLOWED_HOSTS": "x",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        variable: value,
    }
    if value is None:
        env.pop(variable)
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup()",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert variable in result.stderr or "PostgreSQL" in result.stderr


def _demo_state():
    return {
        "agencies": sorted(Agency.objects.values_list("slug", "name", "default_language")),
        "branches": sorted(Branch.objects.values_list("agency__slug", "code", "name", "address")),
        "users": sorted(User.objects.values_list("username", "email", "password")),
        "services": sorted(ServiceType.objects.values_list("agency__slug", "code", "name_zh")),
        "prices": sorted(Price.objects.values_list("service_type__code", "unit_price")),
        "orders": sorted(Order.objects.values_list("agency__slug", "number", "status")),
        "memberships": sorted(
            Membership.objects.values_list("agency__slug", "user__username", "role", "branch__code")
        ),
    }


def test_seed_demo_twice_leaves_the_same_data(db):
    call_command("seed_demo", verbosity=0)
    first = _demo_state()
    call_command("seed_demo", verbosity=0)
    assert _demo_state() == first
    assert len(first["agencies"]) == 2
    assert len(first["branches"]) == 4
    # five roles in each agency, and the shared dispatcher in both
    assert len(first["memberships"]) == 12
    assert User.objects.get(username="shared.dispatcher").memberships.count() == 2
    # 14 live demo orders, 3 served earlier today for the complaint and incident demos
    # (complaints/demo_jobs.py), 1 placement begun today (placements/demo.py), 42 of the
    # schedule board's busy week (orders/demo/schedule.py), and 588 of the twelve weeks of
    # history (reports/demo/); per agency, 7 services.
    assert len(first["services"]) == 14 and len(first["orders"]) == 14 + 6 + 2 + 42 + 588
    history = [number for _, number, _ in first["orders"] if number.startswith(HISTORY_PREFIX)]
    assert len(history) == 588
    statuses = {status for _, _, status in first["orders"]}
    assert {"quoted", "confirmed", "paid", "cancelled"} <= statuses
    # Billing: quote plus the approved change, paid in two halves; a late cancellation's fee.
    live = ~Q(lines__order__number__startswith=HISTORY_PREFIX)
    # (The placement's deposit, billed at its signing, is on an invoice of no order.)
    invoices = (
        Invoice.objects.filter(live, agency__slug="anxin", lines__order__isnull=False)
        .distinct()
        .order_by("number")
    )
    paid, fee = invoices
    assert paid.status == "paid" and paid.payments.count() == 2
    assert (
        paid.total == paid.lines.get(kind="service").amount + paid.lines.get(kind="change").amount
    )
    # The fee is paid from the stored-value card its customer bought (orders/demo/prepaid.py).
    assert fee.lines.get().kind == "cancellation_fee" and fee.status == "paid"
    assert fee.payments.get().method == "prepaid"
    # The service story: failed by the office supervisor in round 1, accepted in round 2
    # (the other live rounds are the complaint demos' jobs, waiting for their round 1).
    rounds = (
        AcceptanceRound.objects.filter(agency__slug="anxin", order__service_type__code="cleaning")
        .exclude(order__number__startswith=HISTORY_PREFIX)
        .order_by("number")
    )
    assert [(r.number, r.outcome) for r in rounds] == [(1, "failed"), (2, "passed")]
