"""The one owner of `Placement.status` (like `orders.lifecycle` for orders): every other
module moves a placement through `placement_transition`, under the placement's lock."""

from collections.abc import Collection

from django.utils.translation import gettext as _

from agency.errors import StateConflict
from placements.models import Placement, PlacementStatus


class PlacementStateConflict(StateConflict):
    """The placement is not in a state the step accepts (the API answers 409)."""


def placement_lock(placement: Placement) -> Placement:
    """The placement read again under a row lock, with its order and agency."""
    return (
        Placement.objects.select_for_update(of=("self",))
        .select_related("agency", "order__service_type", "order__customer")
        .get(pk=placement.pk)
    )


def placement_transition(
    placement: Placement, to: PlacementStatus, *, allowed_from: Collection[PlacementStatus]
) -> Placement:
    """Move a locked placement to `to`, refusing, with its present state named, any other
    state than `allowed_from`."""
    if placement.status not in allowed_from:
        raise PlacementStateConflict(
            _("This placement is %(status)s: that cannot be done now.")
            % {"status": PlacementStatus(placement.status).label}
        )
    placement.status = to
    placement.save(update_fields=["status", "updated_at"])
    return placement
