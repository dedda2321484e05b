"""Where each consumer of the order timeline has read to (billing, feedback requests, revisits)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventCursor(models.Model):
    """One row per consumer: every settled event up to `last_event_id` has been handled, so a
    sweep reads only the events after it (orders.events). Not an agency's row: one sweep
    serves every agency."""

    consumer = models.CharField(max_length=40, primary_key=True)
    last_event_id = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("event cursor")
        verbose_name_plural = _("event cursors")

    def __str__(self) -> str:
        return f"{self.consumer} @ {self.last_event_id}"
