"""The manager's placement settings (issue 20): the policy and the briefing checklist,
by page and API; a done briefing keeps its wording."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from agency.models import AuditLog, Role
from placements.during import briefing_items, briefing_record, policy_for
from placements.models import BriefingItem
from placements.settings import ItemLine, checklist_lines, placement_settings_save
from tests.factories import PlacementFactory
from tests.placements.conftest import member

pytestmark = pytest.mark.django_db

POLICY = {
    "replacement_fee": Decimal("800.00"),
    "renewal_notice_days": 20,
    "first_check_in_days": 5,
    "check_in_every_days": 14,
}


def save(world, items, role=Role.MANAGER, **policy):
    return placement_settings_save(
        agency=world.a.agency, actor=member(world, role), items=items, **{**POLICY, **policy}
    )


def test_a_manager_sets_the_policy_and_the_checklist_in_order(world):
    save(world, [ItemLine("Keys"), ItemLine("Allergies")])
    policy = policy_for(world.a.agency)
    assert policy.replacement_fee == Decimal("800.00") and policy.check_in_every_days == 14
    assert list(briefing_items(world.a.agency).values()) == ["Keys", "Allergies"]
    keys, allergies = checklist_lines(world.a.agency)
    save(world, [ItemLine("Allergies and medicines", id=allergies.id), ItemLine("Pets")])
    assert list(briefing_items(world.a.agency).values()) == ["Allergies and medicines", "Pets"]
    assert not BriefingItem.objects.get(pk=keys.id).is_active  # retired, not deleted
    assert AuditLog.objects.filter(action="placement.settings").count() == 2
    assert briefing_items(world.b.agency) != briefing_items(world.a.agency)


def test_bounds_and_unknown_items_are_refused_with_the_field_named(world):
    with pytest.raises(ValidationError) as refused:
        save(world, [ItemLine("")], renewal_notice_days=0, replacement_fee=Decimal("-1"))
    assert set(refused.value.message_dict) == {
        "renewal_notice_days",
        "replacement_fee",
        "briefing_items",
    }
    other = BriefingItem.objects.create(agency=world.b.agency, label="B's")
    with pytest.raises(ValidationError, match="not on the agency's checklist"):
        save(world, [ItemLine("B's", id=other.pk)])
    with pytest.raises(ValidationError, match="same wording"):
        save(world, [ItemLine("Keys"), ItemLine("Keys ")])
    with pytest.raises(PermissionDenied):
        save(world, [ItemLine("Keys")], role=Role.SUPERVISOR)


def test_a_done_briefing_keeps_the_wording_it_was_briefed_with(world):
    save(world, [ItemLine("Keys")])
    placement = PlacementFactory(agency=world.a.agency, status="signed")
    briefing = briefing_record(
        placement=placement,
        actor=member(world, Role.SUPERVISOR),
        ticked=list(briefing_items(world.a.agency)),
        staff_present=True,
    )
    (keys,) = checklist_lines(world.a.agency)
    save(world, [ItemLine("Keys and the alarm code", id=keys.id), ItemLine("Pets")])
    briefing.refresh_from_db()
    assert list(briefing.items.values()) == ["Keys"] and briefing.done_at is not None


def page_data(rows, **policy):
    data = {f"policy-{name}": value for name, value in {**POLICY, **policy}.items()}
    data |= {
        "items-TOTAL_FORMS": len(rows),
        "items-INITIAL_FORMS": 0,
        "items-MIN_NUM_FORMS": 0,
        "items-MAX_NUM_FORMS": 1000,
    }
    for index, (label, order) in enumerate(rows):
        data |= {f"items-{index}-label": label, f"items-{index}-ORDER": order}
    return data


def test_the_page_saves_in_the_order_given_and_shows_errors(world, client_for):
    url = reverse("placement_settings")
    manager = client_for(world.a.user(Role.MANAGER))
    assert "items-0-label" in manager.get(url).text
    done = manager.post(url, page_data([("Pets", 2), ("Keys", 1), ("", 3)]))
    assert done.status_code == 302
    assert list(briefing_items(world.a.agency).values()) == ["Keys", "Pets"]
    bad = manager.post(url, page_data([("Keys", 1)], check_in_every_days=3))
    assert bad.status_code == 400 and "policy-check_in_every_days" in bad.text
    assert client_for(world.a.user(Role.DISPATCHER)).get(url).status_code == 403
    assert "placement_settings" not in reverse("placement_list")  # linked from the list:
    assert url in client_for(world.a.user(Role.MANAGER)).get(reverse("placement_list")).text


def test_api_reads_for_the_office_and_replaces_for_the_manager(world, client_for):
    url = "/api/placement-settings/"
    dispatcher = client_for(world.a.user(Role.DISPATCHER))
    shown = dispatcher.get(url).json()
    assert shown["renewal_notice_days"] == 30 and shown["briefing_items"][0]["id"] is None
    body = {**{k: str(v) for k, v in POLICY.items()}, "briefing_items": [{"label": "Keys"}]}
    assert dispatcher.put(url, body, content_type="application/json").status_code == 403
    manager = client_for(world.a.user(Role.MANAGER))
    saved = manager.put(url, body, content_type="application/json").json()
    assert saved["replacement_fee"] == "800.00" and saved["briefing_items"][0]["label"] == "Keys"
    bad = manager.put(
        url,
        {**body, "first_check_in_days": 99, "briefing_items": []},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "first_check_in_days" in bad.json()
    other = BriefingItem.objects.create(agency=world.b.agency, label="B's")
    stolen = manager.put(
        url,
        {**body, "briefing_items": [{"id": other.pk, "label": "x"}]},
        content_type="application/json",
    )
    assert stolen.status_code == 400 and "briefing_items" in stolen.json()
