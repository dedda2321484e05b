from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from agency.models import TenantModel


class MessageTemplate(TenantModel):
    """An agency's own words for one rule in one language (else the shipped default).

    Read when a message is written, so a change holds for the messages written after it;
    what was sent stays as it was sent (the outbox keeps the text).
    """

    rule = models.CharField(_("rule"), max_length=60)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"), max_length=1000)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "rule", "language"], name="message_template_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule} ({self.language})"
