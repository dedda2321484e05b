"""The placement's follow-up API (issue 20): the briefing, the start, the trial answers."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from agency.models import Role
from orders.models import InvoiceLine
from placements.billing import placement_charges_bill_due
from placements.during_trial import trial_answer_by_link, trial_link_path
from placements.models import ChargeKind, PlacementCharge, PlacementPolicy, TrialDecision
from placements.selectors import confirmed_staff
from tests.factories import PlacementFactory
from tests.placements.test_during import started, token_of

pytestmark = pytest.mark.django_db

FIRST_DAY = datetime(2026, 12, 15, 9, tzinfo=ZoneInfo("Asia/Shanghai"))
TRIAL_END = datetime(2026, 12, 21, 11, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def signed(world):
    return PlacementFactory(agency=world.a.agency, status="signed")


def test_the_supervisor_briefs_then_starts_by_api(world, signed, client_for):
    url = f"/api/placements/{signed.pk}/"
    supervisor = client_for(world.a.user(Role.SUPERVISOR))
    shown = supervisor.get(url + "briefing/").json()
    assert shown["ticked"] == [] and shown["done_at"] is None and len(shown["items"]) == 7
    refused = supervisor.post(url + "start/")
    assert refused.status_code == 409 and "上户交底" in refused.json()["detail"]
    body = {"ticked": list(shown["items"]), "staff_present": True}
    done = supervisor.post(url + "briefing/", body, content_type="application/json").json()
    assert done["done_at"] is not None and done["ticked"] == list(shown["items"])
    with time_machine.travel(FIRST_DAY, tick=False):
        supervisor = client_for(world.a.user(Role.SUPERVISOR))  # signed in on the day
        started = supervisor.post(url + "start/")
    assert started.status_code == 200 and started.json()["status"] == "active"


def test_bad_input_roles_and_other_agencies(world, signed, client_for):
    url = f"/api/placements/{signed.pk}/"
    supervisor = client_for(world.a.user(Role.SUPERVISOR))
    bad = supervisor.post(
        url + "briefing/",
        {"ticked": ["nope"], "staff_present": True},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "ticked" in bad.json()
    missing = supervisor.post(url + "briefing/", {}, content_type="application/json")
    assert missing.status_code == 400 and "staff_present" in missing.json()
    dispatcher = client_for(world.a.user(Role.DISPATCHER))
    assert dispatcher.get(url + "briefing/").status_code == 200
    assert dispatcher.post(url + "start/").status_code == 403
    other = client_for(world.b.user(Role.MANAGER))
    assert other.get(url + "briefing/").status_code == 404
    assert other.post(url + "start/").status_code == 404
    assert other.get(url + "trial-decisions/").status_code == 404


def test_the_trial_answers_are_listed(world, client_for):
    placement = PlacementFactory(agency=world.a.agency, status="active")
    TrialDecision.objects.create(
        agency=world.a.agency,
        placement=placement,
        assignment=confirmed_staff(placement),
        choice="replace",
        reason="Too quiet",
        free=False,
        fee=Decimal("500.00"),
        answered_at=timezone.now(),
    )
    dispatcher = client_for(world.a.user(Role.DISPATCHER))
    (answer,) = dispatcher.get(f"/api/placements/{placement.pk}/trial-decisions/").json()
    assert answer["choice"] == "replace" and answer["fee"] == "500.00"
    assert answer["staff_name"] and answer["replacement_name"] is None


def test_a_replacement_beyond_the_free_count_is_invoiced_once(world):
    """The trial's answer asks a replacement beyond the free ones: the agency's fee is on
    an invoice line after the sweep, once, however often the sweep runs."""
    placement = PlacementFactory(agency=world.a.agency, status="signed", free_replacements=0)
    PlacementPolicy.objects.create(agency=world.a.agency, replacement_fee=Decimal("500.00"))
    started(world, placement)
    assignment = confirmed_staff(placement)
    with time_machine.travel(TRIAL_END, tick=False):
        trial_answer_by_link(
            token=token_of(trial_link_path(assignment)), choice="replace", reason="太吵"
        )
        placement_charges_bill_due()
        placement_charges_bill_due()
    charge = PlacementCharge.objects.get(placement=placement, kind=ChargeKind.REPLACEMENT)
    assert charge.state == "invoiced" and charge.due_on == TRIAL_END.date()
    lines = InvoiceLine.objects.filter(invoice__customer=placement.order.customer)
    fee_lines = [line for line in lines if line.amount == Decimal("500.00")]
    assert len(fee_lines) == 1 and placement.order.number in fee_lines[0].description


def test_a_free_replacement_charges_nothing(world):
    placement = PlacementFactory(agency=world.a.agency, status="signed", free_replacements=1)
    PlacementPolicy.objects.create(agency=world.a.agency, replacement_fee=Decimal("500.00"))
    started(world, placement)
    with time_machine.travel(TRIAL_END, tick=False):
        trial_answer_by_link(
            token=token_of(trial_link_path(confirmed_staff(placement))),
            choice="replace",
            reason="太吵",
        )
    assert not PlacementCharge.objects.filter(kind=ChargeKind.REPLACEMENT).exists()
