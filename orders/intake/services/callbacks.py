from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agency.audit import Actor, audit_record
from agency.errors import StateConflict
from orders.models import Callback


@transaction.atomic
def callback_complete(*, callback: Callback, actor: Actor, outcome: str) -> Callback:
    """The office called the customer back; what was said is kept."""
    current = Callback.objects.select_for_update().get(pk=callback.pk)
    if current.done_at is not None:
        raise StateConflict(_("This callback is already done."))
    if not outcome.strip():
        raise ValidationError({"outcome": _("Note what the customer said.")})
    current.done_at = timezone.now()
    current.done_by = actor.user
    current.outcome = outcome.strip()
    current.save(update_fields=["done_at", "done_by", "outcome"])
    audit_record(agency=current.agency, actor=actor, action="callback.complete", target=current)
    return current
