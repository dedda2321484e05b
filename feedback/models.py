"""Customer feedback (顾客满意度调查): one request per accepted order, answered once by the
customer through a signed link.

DESIGN.md, "Feedback and revisits": only the customer fills in the feedback
form; staff may not enter the customer's opinion.
"""

from datetime import time, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agency.bounds import TEXT_MAX_LENGTH
from agency.models import TenantModel
from orders.models import Customer, Order

SCORE = [MinValueValidator(1), MaxValueValidator(5)]


class FeedbackPolicy(TenantModel):
    """The agency's feedback and revisit settings, with the agencies' rules as defaults.

    DESIGN.md, "Feedback and revisits": a satisfaction call within 24 hours
    after the service, a thank-you letter 7 days after the order, a second
    contact 7 days after the letter, periodic revisits of repeat customers.
    """

    link_valid_for = models.DurationField(_("feedback link valid for"), default=timedelta(days=14))
    low_score = models.PositiveSmallIntegerField(
        _("a score at or below this is low"),
        default=3,
        validators=SCORE,
        help_text=_("A low score opens a follow-up for a supervisor."),
    )
    satisfaction_call_after = models.DurationField(
        _("satisfaction call, after the service is accepted"), default=timedelta(hours=24)
    )
    letter_after_order = models.DurationField(
        _("thank-you letter, after the order is confirmed"), default=timedelta(days=7)
    )
    second_contact_after_letter = models.DurationField(
        _("second contact, after the letter"), default=timedelta(days=7)
    )
    low_score_follow_up_within = models.DurationField(
        _("low score: supervisor's follow-up within"),
        default=timedelta(hours=24),
        help_text=_("Counted from the customer's answer."),
    )
    periodic_after = models.DurationField(
        _("periodic revisit of a repeat customer, after their last service"),
        default=timedelta(days=90),
    )
    call_from = models.TimeField(_("calls from"), default=time(9, 0))
    call_until = models.TimeField(_("calls until"), default=time(18, 0))
    retry_after = models.DurationField(
        _("not reached: try again after"), default=timedelta(hours=2)
    )
    max_attempts = models.PositiveSmallIntegerField(
        _("attempts before giving up"), default=3, validators=[MinValueValidator(1)]
    )
    escalate_after = models.DurationField(
        _("overdue revisits go to a supervisor after"), default=timedelta(days=1)
    )

    class Meta:
        verbose_name = _("feedback policy")
        verbose_name_plural = _("feedback policies")
        constraints = [
            models.UniqueConstraint(fields=["agency"], name="feedbackpolicy_one_per_agency")
        ]

    def __str__(self) -> str:
        return f"feedback policy {self.agency_id}"


class FeedbackRequest(TenantModel):
    """The feedback form sent for one accepted order: once, with a link that expires."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="+")
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(_("sent"))
    expires_at = models.DateTimeField(_("expires"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    #: The customer gave their feedback unasked (their portal): no link was sent; the
    #: answer counts in the reports like any other.
    unsolicited = models.BooleanField(_("given unasked"), default=False)

    class Meta:
        verbose_name = _("feedback request")
        verbose_name_plural = _("feedback requests")
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "order"], name="feedbackrequest_once"),
        ]
        indexes = [models.Index(fields=["agency", "sent_at"], name="feedbackrequest_sent")]

    def __str__(self) -> str:
        return f"feedback {self.order_id}"

    @property
    def has_expired(self) -> bool:
        """The link takes no answer after `expires_at` (an answered form stays answered)."""
        return timezone.now() > self.expires_at


class FeedbackResponse(TenantModel):
    """The customer's answers, given once through their link."""

    request = models.OneToOneField(
        FeedbackRequest, on_delete=models.PROTECT, related_name="response"
    )
    quality = models.PositiveSmallIntegerField(_("quality of the work"), validators=SCORE)
    attitude = models.PositiveSmallIntegerField(_("attitude"), validators=SCORE)
    punctuality = models.PositiveSmallIntegerField(_("punctuality"), validators=SCORE)
    professionalism = models.PositiveSmallIntegerField(_("professionalism"), validators=SCORE)
    overall = models.PositiveSmallIntegerField(_("overall"), validators=SCORE)
    comment = models.TextField(_("comment"), blank=True, max_length=TEXT_MAX_LENGTH)
    may_contact = models.BooleanField(_("we may contact you again"), default=True)
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quality__gte=1, quality__lte=5)
                & Q(attitude__gte=1, attitude__lte=5)
                & Q(punctuality__gte=1, punctuality__lte=5)
                & Q(professionalism__gte=1, professionalism__lte=5)
                & Q(overall__gte=1, overall__lte=5),
                name="feedbackresponse_scores_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.overall}/5"

    @property
    def scores(self) -> dict[str, int]:
        return {
            "quality": self.quality,
            "attitude": self.attitude,
            "punctuality": self.punctuality,
            "professionalism": self.professionalism,
            "overall": self.overall,
        }


class RevisitKind(models.TextChoices):
    SATISFACTION_CALL = "satisfaction_call", _("24-hour satisfaction call")
    THANK_YOU_LETTER = "thank_you_letter", _("Thank-you letter")
    SECOND_CONTACT = "second_contact", _("Second contact")
    PERIODIC = "periodic", _("Periodic revisit")
    REQUESTED_CALLBACK = "requested_callback", _("Requested callback")
    COMPLAINT_FOLLOW_UP = "complaint_follow_up", _("Complaint follow-up")
    LOW_SCORE = "low_score", _("Low score follow-up")


#: Revisits the worker does itself (the letter); the others are people's calls.
AUTOMATIC = frozenset({RevisitKind.THANK_YOU_LETTER})
#: The courtesy revisits: held while the customer has a complaint being handled (a
#: thank-you letter to someone whose complaint is open reads as mockery).
COURTESY = frozenset(
    {
        RevisitKind.SATISFACTION_CALL,
        RevisitKind.THANK_YOU_LETTER,
        RevisitKind.SECOND_CONTACT,
        RevisitKind.PERIODIC,
    }
)


class RevisitStatus(models.TextChoices):
    OPEN = "open", _("To do")
    DONE = "done", _("Done")
    SENT = "sent", _("Sent")
    DROPPED = "dropped", _("Dropped")
    HELD = "held", _("On hold: complaint open")


class RevisitOutcome(models.TextChoices):
    REACHED = "reached", _("Reached")
    NOT_REACHED = "not_reached", _("Not reached")
    DECLINED = "declined", _("Declined to talk")


class Revisit(TenantModel):
    """One revisit (回访) owed to a customer by `due_at`; done once.

    `source` names what it came from (an order's acceptance, a callback the
    customer asked for…), unique per agency, so the sweep that creates
    revisits can run twice, or after a lost run, and create each once.
    `next_action_at` is the sweep's column: when to send the letter, or when
    an overdue call goes to a supervisor.
    """

    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="+", verbose_name=_("customer")
    )
    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=RevisitKind.choices)
    source = models.CharField(max_length=80)
    due_at = models.DateTimeField(_("due"))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assignee"),
    )
    status = models.CharField(
        _("status"), max_length=8, choices=RevisitStatus.choices, default=RevisitStatus.OPEN
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=RevisitOutcome.choices, blank=True
    )
    #: A satisfaction score the customer gave on the phone: a phone survey, marked as such.
    satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction on the phone (1–5)"), null=True, blank=True, validators=SCORE
    )
    notes = models.TextField(_("notes"), blank=True, max_length=TEXT_MAX_LENGTH)
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    dropped_reason = models.CharField(_("why dropped"), max_length=300, blank=True)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    next_action_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("revisit")
        verbose_name_plural = _("revisits")
        ordering = ["due_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "source"], name="revisit_once_per_source"),
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True)
                | Q(satisfaction__gte=1, satisfaction__lte=5),
                name="revisit_satisfaction_1_to_5",
            ),
        ]
        indexes = [
            models.Index(
                fields=["agency", "due_at"], condition=Q(status="open"), name="revisit_open_due"
            ),
            # The reports: revisits due in a period, whatever their state.
            models.Index(fields=["agency", "due_at"], name="revisit_agency_due"),
            models.Index(
                fields=["next_action_at"],
                condition=Q(next_action_at__isnull=False),
                name="revisit_sweep_due",
            ),
            # The sweep's released holds: the held revisits, a handful among all of them.
            models.Index(
                fields=["agency", "customer"], condition=Q(status="held"), name="revisit_held"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.customer_id} @ {self.due_at:%Y-%m-%d}"


class RevisitAttempt(TenantModel):
    """One try at a revisit: who called, what came of it."""

    revisit = models.ForeignKey(Revisit, on_delete=models.CASCADE, related_name="attempt_log")
    outcome = models.CharField(_("outcome"), max_length=12, choices=RevisitOutcome.choices)
    notes = models.TextField(_("notes"), blank=True, max_length=TEXT_MAX_LENGTH)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("revisit attempt")
        verbose_name_plural = _("revisit attempts")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.revisit_id}: {self.outcome}"


class RevisitHold(TenantModel):
    """A customer's courtesy revisits stand still while this row exists: one per complaint
    being handled (`source`), handed down by complaints; the last one gone releases them."""

    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=80)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("revisit hold")
        verbose_name_plural = _("revisit holds")
        constraints = [
            models.UniqueConstraint(fields=["agency", "source"], name="revisithold_once_per_source")
        ]

    def __str__(self) -> str:
        return f"hold {self.customer_id} ({self.source})"


class PeriodicCursor(TenantModel):
    """How far the revisit sweep has planned the agency's periodic revisits: every repeat
    customer whose last service ended by `until` has been looked at, so a sweep reads only
    the services that became due since (feedback.periodic)."""

    until = models.DateTimeField()

    class Meta:
        verbose_name = _("periodic revisits cursor")
        verbose_name_plural = _("periodic revisits cursors")
        constraints = [
            models.UniqueConstraint(fields=["agency"], name="periodiccursor_one_per_agency")
        ]

    def __str__(self) -> str:
        return f"periodic {self.agency_id} @ {self.until:%Y-%m-%d %H:%M}"
