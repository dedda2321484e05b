"""Complaints (投诉), the agency's SLA policy, each deadline on its own, and escalations.

DESIGN.md, "Complaints" and "Timers": every deadline is a row with its own
due time, met time and breach state; the sweep reads `next_escalation_at` and
records each escalation once, guarded by a unique constraint.
"""

from datetime import timedelta
from decimal import Decimal
from pathlib import PurePath

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from agency.bounds import TEXT_MAX_LENGTH
from agency.models import Branch, TenantModel
from agency.uploads import GeneratedName, validate_document
from orders.models import Customer, Order
from staff.models import StaffMember


class Tier(models.TextChoices):
    SOFT = "soft", _("Soft (attitude, manner, environment)")
    HARD = "hard", _("Hard (damage, a tangible fault)")


class Category(models.TextChoices):
    ATTITUDE = "attitude", _("Attitude")
    MANNER = "manner", _("Manner and conduct")
    ENVIRONMENT = "environment", _("Environment left behind")
    LATENESS = "lateness", _("Lateness or no-show")
    DAMAGE = "damage", _("Damage to property")
    FAULT = "fault", _("Work not done or faulty")
    LOSS = "loss", _("Something missing")
    OTHER = "other", _("Other")


#: The tier the office is offered for a category; the office chooses.
SUGGESTED_TIER: dict[str, str] = {
    Category.ATTITUDE: Tier.SOFT,
    Category.MANNER: Tier.SOFT,
    Category.ENVIRONMENT: Tier.SOFT,
    Category.LATENESS: Tier.SOFT,
    Category.DAMAGE: Tier.HARD,
    Category.FAULT: Tier.HARD,
    Category.LOSS: Tier.HARD,
    Category.OTHER: Tier.SOFT,
}


class Severity(models.TextChoices):
    NORMAL = "normal", _("Normal")
    MAJOR = "major", _("Major: report to the department head at once")


class ComplaintChannel(models.TextChoices):
    PHONE = "phone", _("Phone")
    WALK_IN = "walk_in", _("Walk-in")
    LINK = "link", _("Customer link")
    PORTAL = "portal", _("Customer portal")
    REVISIT = "revisit", _("Revisit call")


class Status(models.TextChoices):
    OPEN = "open", _("Open")
    RESPONDING = "responding", _("Responding")
    RESOLVED = "resolved", _("Resolved")
    FOLLOWED_UP = "followed_up", _("Followed up")
    CLOSED = "closed", _("Closed")
    REOPENED = "reopened", _("Reopened")


class RootCause(models.TextChoices):
    """Why it happened, recorded at closing (the agencies' complaint analysis)."""

    STAFF_SKILL = "staff_skill", _("Staff skill")
    STAFF_ATTITUDE = "staff_attitude", _("Staff attitude")
    PROCESS = "process", _("Process")
    COMMUNICATION = "communication", _("Communication")
    CUSTOMER_EXPECTATION = "expectation", _("Customer expectation")
    THIRD_PARTY = "third_party", _("Third party")
    OTHER = "other", _("Other")


class WarrantyVerdict(models.TextChoices):
    """A repair or installation assessed under the warranty rules."""

    IN_WARRANTY = "in_warranty", _("In warranty")
    OUT_OF_WARRANTY = "out_of_warranty", _("Out of warranty")
    MISUSE = "misuse", _("Customer misuse")


#: Statuses whose clocks run and that the desk lists.
ACTIVE = frozenset({Status.OPEN, Status.RESPONDING, Status.RESOLVED, Status.REOPENED})


class SlaPolicy(TenantModel):
    """The agency's complaint deadlines, clocks and escalation ladder; a manager edits it.

    Defaults are the agencies' own rules (DESIGN.md, "Complaints").
    """

    soft_first_response = models.DurationField(
        _("soft: first response within"), default=timedelta(minutes=15)
    )
    soft_verification = models.DurationField(
        _("soft: verified within"), default=timedelta(minutes=30)
    )
    soft_office_hours = models.BooleanField(_("soft: count office hours only"), default=True)
    hard_first_response = models.DurationField(
        _("hard: first response within"), default=timedelta(hours=1)
    )
    hard_second_response = models.DurationField(
        _("hard: second response within"), default=timedelta(hours=3)
    )
    hard_office_hours = models.BooleanField(_("hard: count office hours only"), default=True)
    follow_up_after_resolution = models.DurationField(
        _("satisfaction follow-up within (after resolution)"), default=timedelta(hours=24)
    )
    manager_after_breach = models.DurationField(
        _("escalate to the manager after a breach by"),
        default=timedelta(hours=1),
        help_text=_("At the breach the branch supervisor is told; this much later, the manager."),
    )
    penalty_per_upheld_complaint = models.DecimalField(
        _("staff penalty per upheld complaint"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal(0))],
    )
    repeat_window_days = models.PositiveSmallIntegerField(
        _("repeat problems: look back (days)"),
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
        help_text=_(
            "A complaint is a repeat when the same customer, or the same staff member with "
            "the same category, complained this many days before."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")
        constraints = [
            models.UniqueConstraint(fields=["agency"], name="slapolicy_one_per_agency"),
        ]

    def __str__(self) -> str:
        return f"SLA {self.agency_id}"


class OfficeHours(TenantModel):
    """One open period of a weekday (Monday 0) when office-hours clocks run."""

    weekday = models.PositiveSmallIntegerField(_("weekday"), validators=[MaxValueValidator(6)])
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        verbose_name = _("office hours")
        verbose_name_plural = _("office hours")
        ordering = ["weekday", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes__gt=F("opens")), name="officehours_close_after_open"
            ),
            models.UniqueConstraint(fields=["agency", "weekday", "opens"], name="officehours_once"),
        ]

    def __str__(self) -> str:
        return f"{self.weekday} {self.opens}–{self.closes}"


class Holiday(TenantModel):
    """A day the office is closed: office-hours clocks do not run."""

    day = models.DateField(_("date"))
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["day"]
        constraints = [models.UniqueConstraint(fields=["agency", "day"], name="holiday_once")]

    def __str__(self) -> str:
        return f"{self.day} {self.name}"


class Complaint(TenantModel):
    number = models.CharField(_("number"), max_length=20)
    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="+", verbose_name=_("branch")
    )
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="+", verbose_name=_("customer")
    )
    order = models.ForeignKey(
        Order,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("order"),
    )
    staff = models.ForeignKey(
        StaffMember,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff concerned"),
    )
    channel = models.CharField(_("channel"), max_length=10, choices=ComplaintChannel.choices)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    tier = models.CharField(_("tier"), max_length=4, choices=Tier.choices)
    severity = models.CharField(
        _("severity"), max_length=6, choices=Severity.choices, default=Severity.NORMAL
    )
    description = models.TextField(_("what happened"), max_length=TEXT_MAX_LENGTH)
    desired_outcome = models.TextField(
        _("what the customer wants"), blank=True, max_length=TEXT_MAX_LENGTH
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    #: When the customer complained; the deadlines count from here.
    received_at = models.DateTimeField(_("received"))
    #: The office member who took it; empty when the customer filed it themselves (portal).
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    #: The office member answerable for it; empty is an alert on the desk.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    #: The level a supervisor or manager raised it to by hand (EscalationLevel; 0: none).
    raised_to = models.PositiveSmallIntegerField(default=0)
    root_cause = models.CharField(
        _("root cause"), max_length=20, choices=RootCause.choices, blank=True
    )
    root_cause_note = models.TextField(
        _("root cause in words"), blank=True, max_length=TEXT_MAX_LENGTH
    )
    #: A repair or installation's warranty assessment (empty until assessed).
    warranty_verdict = models.CharField(
        _("warranty verdict"), max_length=16, choices=WarrantyVerdict.choices, blank=True
    )
    warranty_note = models.TextField(_("warranty note"), blank=True, max_length=TEXT_MAX_LENGTH)
    #: While set, the clocks stand still (waiting on the customer).
    paused_at = models.DateTimeField(_("paused since"), null=True, blank=True)
    pause_reason = models.CharField(_("why paused"), max_length=300, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    upheld = models.BooleanField(_("upheld against the staff member"), null=True, blank=True)
    satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction with the handling (1–5)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # The page's hidden key (agency.idempotency): a double click takes the complaint once.
    submission_key = models.UUIDField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "number"], name="complaint_number_unique_per_agency"
            ),
            models.UniqueConstraint(
                fields=["agency", "submission_key"], name="complaint_submitted_once"
            ),
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True)
                | Q(satisfaction__gte=1, satisfaction__lte=5),
                name="complaint_satisfaction_1_to_5",
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "received_at"], name="complaint_agency_received"),
            models.Index(fields=["agency", "status"], name="complaint_agency_status"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def follow_up_source(self) -> str | None:
        """The revisit that is this resolution's satisfaction follow-up (one per resolution:
        a reopened and re-resolved complaint is followed up again)."""
        if self.resolved_at is None:
            return None
        return f"complaint-{self.pk}-{int(self.resolved_at.timestamp())}"


class Attachment(TenantModel):
    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(
        _("file"),
        upload_to=GeneratedName("complaints"),
        validators=[validate_document],
    )
    #: What the file was called on the uploader's device: shown, never used as a path.
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    #: Empty when the customer added it (their portal).
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        # Attachments stored before names were generated kept the uploader's name.
        return self.original_name or PurePath(self.file.name or "").name


class EventKind(models.TextChoices):
    TAKEN = "taken", _("Complaint taken")
    RESPONSE = "response", _("Response to the customer")
    NOTE = "note", _("Internal note")
    VERIFICATION = "verification", _("Verified")
    SECOND_RESPONSE = "second_response", _("Second response")
    RESOLUTION = "resolution", _("Resolved")
    FOLLOW_UP = "follow_up", _("Satisfaction follow-up")
    PAUSED = "paused", _("Clock paused")
    RESUMED = "resumed", _("Clock resumed")
    ESCALATED = "escalated", _("Escalated")
    CLOSED = "closed", _("Closed")
    REOPENED = "reopened", _("Reopened")
    OWNER_CHANGED = "owner_changed", _("Owner changed")
    REPLY_PROMISED = "reply_promised", _("Reply promised")
    RAISED = "raised", _("Escalated by hand")
    SEVERITY_CHANGED = "severity_changed", _("Severity changed")
    WARRANTY = "warranty", _("Warranty assessed")


class ComplaintEvent(TenantModel):
    """One line of the complaint log (投诉记录): what was done, by whom, when."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=16, choices=EventKind.choices)
    text = models.TextField(_("text"), blank=True, max_length=TEXT_MAX_LENGTH)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("complaint event")
        verbose_name_plural = _("complaint timeline")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["agency", "complaint", "created_at"], name="complaintevent_time")
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.kind}"


class DeadlineKind(models.TextChoices):
    FIRST_RESPONSE = "first_response", _("First response")
    VERIFICATION = "verification", _("Verification")
    SECOND_RESPONSE = "second_response", _("Second response")
    RESOLUTION = "resolution", _("Resolution")
    FOLLOW_UP = "follow_up", _("Satisfaction follow-up")
    PROMISED_REPLY = "promised_reply", _("Reply promised to the customer")
    REPAIR_CONTACT = "repair_contact", _("Repair: customer contacted")
    WARRANTY_ANSWER = "warranty_answer", _("Repair: definitive answer")


class EscalationLevel(models.IntegerChoices):
    MAJOR = 0, _("Major complaint: department head")
    SUPERVISOR = 1, _("Breached: branch supervisor")
    MANAGER = 2, _("Still breached: manager")


class Deadline(TenantModel):
    """One SLA deadline of a complaint, with its own due, met and breach state."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="deadlines")
    kind = models.CharField(_("deadline"), max_length=16, choices=DeadlineKind.choices)
    office_hours = models.BooleanField(_("office hours only"))
    due_at = models.DateTimeField(_("due"))
    met_at = models.DateTimeField(_("met"), null=True, blank=True)
    breached_at = models.DateTimeField(_("breached"), null=True, blank=True)
    #: The clock time left when the complaint was paused; the due time moves on resume.
    left_when_paused = models.DurationField(null=True, blank=True)
    #: Highest escalation level reached, and when the sweep should look again (or never).
    level = models.PositiveSmallIntegerField(default=0)
    next_escalation_at = models.DateTimeField(null=True, blank=True)
    #: A deadline that no longer applies (the complaint was closed or reopened before it).
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["created_at", "id"]
        constraints = [
            # One running deadline of each kind per complaint; reopening starts new ones.
            models.UniqueConstraint(
                fields=["agency", "complaint", "kind"],
                condition=Q(met_at__isnull=True, cancelled_at__isnull=True),
                name="deadline_one_running_per_kind",
            ),
        ]
        indexes = [
            # The sweep: everything whose next escalation has come, across agencies.
            models.Index(
                fields=["next_escalation_at"],
                condition=Q(next_escalation_at__isnull=False),
                name="deadline_escalation_due",
            ),
            # The dashboard: the deadlines an agency met in a period (first responses).
            models.Index(
                fields=["agency", "kind", "met_at"],
                condition=Q(met_at__isnull=False),
                name="deadline_met",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.kind} @ {self.due_at:%Y-%m-%d %H:%M}"

    @property
    def is_running(self) -> bool:
        return self.met_at is None and self.cancelled_at is None


class Escalation(TenantModel):
    """An escalation done: recorded once per deadline and level (or once for a major
    complaint), in the same transaction as the notifications it sends (their key
    names this row, so who was told is in agency.Notification)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="escalations")
    deadline = models.ForeignKey(
        Deadline, on_delete=models.CASCADE, null=True, blank=True, related_name="escalations"
    )
    level = models.PositiveSmallIntegerField(choices=EscalationLevel.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "deadline", "level"],
                condition=Q(deadline__isnull=False),
                name="escalation_once_per_deadline_level",
            ),
            models.UniqueConstraint(
                fields=["agency", "complaint"],
                condition=Q(level=EscalationLevel.MAJOR),
                name="escalation_major_once",
            ),
            models.CheckConstraint(
                condition=Q(level=EscalationLevel.MAJOR, deadline__isnull=True)
                | (~Q(level=EscalationLevel.MAJOR) & Q(deadline__isnull=False)),
                name="escalation_major_or_of_a_deadline",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id} level {self.level}"


from complaints.models.incidents import *  # noqa: E402, F403
from complaints.models.quality import *  # noqa: E402, F403
from complaints.models.remedies import *  # noqa: E402, F403
