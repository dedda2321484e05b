"""The manager's placement settings (issue 20): the agency's `PlacementPolicy` and its own
briefing checklist. A done briefing keeps the wording it was briefed with, so rewording
or removing an item changes only the briefings still to come."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from agency.audit import Actor, audit_record, changes_between, snapshot
from agency.models import Agency
from agency.permissions import Area, require
from placements.models import BriefingItem, PlacementPolicy
from placements.models.briefing import DEFAULT_BRIEFING_ITEMS

#: (lowest, highest) of each number of days, as the policy's validators bound them.
DAY_BOUNDS = {
    "renewal_notice_days": (1, 120),
    "first_check_in_days": (1, 30),
    "check_in_every_days": (7, 90),
}
POLICY_FIELDS = ("replacement_fee", *DAY_BOUNDS)
#: The largest replacement fee (the column has 10 digits, 2 after the point).
FEE_MAX = Decimal("99999999.99")
ITEM_MAX_LENGTH = 200
ITEMS_MAX = 30


@dataclass(frozen=True)
class ItemLine:
    """One line of the checklist as the manager wants it: an existing item (reworded or
    kept) by its id, or a new one without."""

    label: str
    id: int | None = None


def checklist_lines(agency: Agency) -> list[ItemLine]:
    """The agency's checklist to edit: its own items in order, else the default list as
    new lines (saved as the agency's own the first time)."""
    own = BriefingItem.objects.filter(agency=agency, is_active=True)
    lines = [ItemLine(label=item.label, id=item.pk) for item in own]
    return lines or [ItemLine(label=str(label)) for _key, label in DEFAULT_BRIEFING_ITEMS]


def _policy_errors(values: dict[str, object]) -> dict[str, str]:
    errors = {}
    fee = values["replacement_fee"]
    if not isinstance(fee, Decimal) or not Decimal(0) <= fee <= FEE_MAX:
        errors["replacement_fee"] = _("Enter an amount from 0 to %(max)s.") % {"max": FEE_MAX}
    for name, (low, high) in DAY_BOUNDS.items():
        days = values[name]
        if not isinstance(days, int) or not low <= days <= high:
            errors[name] = _("Enter a number of days from %(low)d to %(high)d.") % {
                "low": low,
                "high": high,
            }
    return errors


def _item_errors(agency: Agency, items: Sequence[ItemLine]) -> dict[str, str]:
    if len(items) > ITEMS_MAX:
        return {"briefing_items": _("At most %(max)d items.") % {"max": ITEMS_MAX}}
    labels = [line.label for line in items]
    if any(not label or len(label) > ITEM_MAX_LENGTH for label in labels):
        return {
            "briefing_items": _("Each item needs a wording of at most %(max)d characters.")
            % {"max": ITEM_MAX_LENGTH}
        }
    if len(set(labels)) != len(labels):
        return {"briefing_items": _("Each item once: two items have the same wording.")}
    ids = [line.id for line in items if line.id is not None]
    known = set(
        BriefingItem.objects.filter(agency=agency, is_active=True, pk__in=ids).values_list(
            "pk", flat=True
        )
    )
    if len(set(ids)) != len(ids) or known != set(ids):
        return {"briefing_items": _("An item is not on the agency's checklist any more.")}
    return {}


@transaction.atomic
def placement_settings_save(
    *,
    agency: Agency,
    actor: Actor,
    replacement_fee: Decimal,
    renewal_notice_days: int,
    first_check_in_days: int,
    check_in_every_days: int,
    items: Sequence[ItemLine],
) -> PlacementPolicy:
    """A manager sets the placement policy and the briefing checklist, in its order.
    Items left out are retired, not deleted (a briefing in progress names them by key)."""
    require(
        actor,
        Area.CONTRACTS,
        agency_id=agency.pk,
        message=_("The manager sets how the agency runs its placements."),
    )
    values: dict[str, object] = {
        "replacement_fee": replacement_fee,
        "renewal_notice_days": renewal_notice_days,
        "first_check_in_days": first_check_in_days,
        "check_in_every_days": check_in_every_days,
    }
    # The policy row, made once, is the lock that puts two managers' saves one after the
    # other, the checklist's included (checked under it: an item retired meanwhile).
    made, _created = PlacementPolicy.objects.get_or_create(agency=agency)
    policy = PlacementPolicy.objects.select_for_update().get(pk=made.pk)
    items = [ItemLine(label=line.label.strip(), id=line.id) for line in items]
    errors = {**_policy_errors(values), **_item_errors(agency, items)}
    if errors:
        raise ValidationError(errors)
    before = snapshot(policy, POLICY_FIELDS)
    for name, value in values.items():
        setattr(policy, name, value)
    policy.save()
    changes: dict[str, object] = dict(changes_between(before, snapshot(policy, POLICY_FIELDS)))
    checklist_before = [line.label for line in checklist_lines(agency)]
    _checklist_set(agency, items)
    if checklist_before != [line.label for line in items]:
        changes["briefing_items"] = [len(checklist_before), len(items)]
    if changes:
        audit_record(
            agency=agency,
            actor=actor,
            action="placement.settings",
            target=policy,
            changes=changes,
        )
    return policy


def _checklist_set(agency: Agency, items: Sequence[ItemLine]) -> None:
    kept = {line.id for line in items if line.id is not None}
    BriefingItem.objects.filter(agency=agency, is_active=True).exclude(pk__in=kept).update(
        is_active=False
    )
    existing = BriefingItem.objects.in_bulk(kept)
    changed, created = [], []
    for position, line in enumerate(items):
        if line.id is None:
            created.append(BriefingItem(agency=agency, label=line.label, position=position))
            continue
        item = existing[line.id]
        if (item.label, item.position) != (line.label, position):
            item.label, item.position = line.label, position
            changed.append(item)
    BriefingItem.objects.bulk_update(changed, ["label", "position"])
    BriefingItem.objects.bulk_create(created)
