"""Tenants and the people in them, the audit log, and the beat heartbeat.

Every tenant-owned table carries an `agency` foreign key and every unique
constraint includes it (DESIGN.md, "Tenancy").
"""

import uuid
import zoneinfo
from collections.abc import Collection
from datetime import date, datetime, time
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agency.uploads import GeneratedName, validate_photo


class User(AbstractUser):
    """A person who logs in. What they may do depends on their memberships."""

    preferred_language = models.CharField(
        _("preferred language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Empty: use the agency's default language."),
    )


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("%(value)s is not a known time zone."), params={"value": value})


class Agency(models.Model):
    """The tenant: one housekeeping company (家政公司)."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Asia/Shanghai", validators=[validate_time_zone]
    )
    default_language = models.CharField(
        _("default language"), max_length=10, choices=settings.LANGUAGES, default="zh-hans"
    )
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    # Cancellation policy (DESIGN.md, "Billing"): free within these hours of
    # ordering, afterwards a fee of at least this percent of the price.
    free_cancellation_hours = models.PositiveSmallIntegerField(
        _("free cancellation window (hours)"), default=48
    )
    late_cancellation_fee_percent = models.DecimalField(
        _("late cancellation fee (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("10.00"),
        validators=[MinValueValidator(Decimal("10.00")), MaxValueValidator(Decimal("100.00"))],
        help_text=_("At least 10% by the agency's procedures."),
    )
    recurring_horizon_days = models.PositiveSmallIntegerField(
        _("recurring orders created ahead (days)"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
    )
    confirmation_link_days = models.PositiveSmallIntegerField(
        _("customer links valid for (days)"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
    )
    # The customer portal (issue 18): how long a customer stays signed in on their phone.
    portal_session_days = models.PositiveSmallIntegerField(
        _("customers stay signed in to the portal for (days)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
    )
    # Privacy (DESIGN.md): an assigned staff member sees the customer's full
    # address and phone only from this many hours before the job until it ends.
    address_reveal_hours = models.PositiveSmallIntegerField(
        _("address shown to staff from (hours before the job)"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(72)],
    )
    # Service (DESIGN.md, "Service"): check-in opens this long before the start, so a job
    # cannot be checked in, finished and accepted the evening before it is due.
    check_in_opens_minutes = models.PositiveSmallIntegerField(
        _("check-in opens (minutes before the job)"),
        default=60,
        validators=[MaxValueValidator(720)],
    )
    # Notifications (DESIGN.md: the customer is called the day before to confirm): from
    # these local times the day-before links go to tomorrow's customers and the staff get
    # their list of tomorrow's jobs.
    day_before_at = models.TimeField(
        _("customers asked to confirm tomorrow's service from"), default=time(10, 0)
    )
    jobs_reminder_at = models.TimeField(
        _("staff reminded of tomorrow's jobs from"), default=time(19, 0)
    )
    # Staff acknowledge a job (确认接单) within this time, else the dispatcher is told;
    # sooner for a job that starts within a day.
    ack_within_minutes = models.PositiveSmallIntegerField(
        _("staff acknowledge a job within (minutes)"),
        default=120,
        validators=[MinValueValidator(5), MaxValueValidator(1440)],
    )
    ack_within_minutes_soon = models.PositiveSmallIntegerField(
        _("… for a job starting within 24 hours (minutes)"),
        default=30,
        validators=[MinValueValidator(5), MaxValueValidator(1440)],
    )
    # Attendance (DESIGN.md: lateness is recorded): a check-in later than the start and
    # this grace is late; no check-in by the start and the no-show time is a no-show.
    late_grace_minutes = models.PositiveSmallIntegerField(
        _("late after the start by more than (minutes)"),
        default=10,
        validators=[MaxValueValidator(120)],
    )
    no_show_after_minutes = models.PositiveSmallIntegerField(
        _("no-show when not checked in (minutes after the start)"),
        default=30,
        validators=[MinValueValidator(5), MaxValueValidator(240)],
    )
    # The schedule warns of one person's consecutive jobs in different districts closer
    # together than this.
    travel_gap_minutes = models.PositiveSmallIntegerField(
        _("travel time between districts (minutes)"),
        default=60,
        validators=[MaxValueValidator(240)],
    )
    # Billing (DESIGN.md, "Billing"): what invoices say about the agency, and how it bills.
    legal_name = models.CharField(_("name on invoices"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    tax_number = models.CharField(_("tax number (统一社会信用代码)"), max_length=40, blank=True)
    bank_account = models.CharField(_("bank and account"), max_length=200, blank=True)
    logo = models.ImageField(
        _("logo"), upload_to=GeneratedName("logo"), blank=True, validators=[validate_photo]
    )
    tax_rate_percent = models.DecimalField(
        _("tax rate (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
        help_text=_("Added to every invoice; 0 for none."),
    )
    payment_terms_days = models.PositiveSmallIntegerField(
        _("invoices due after (days)"),
        default=7,
        validators=[MaxValueValidator(90)],
    )
    monthly_invoicing = models.BooleanField(
        _("recurring orders: one invoice per customer and month"),
        default=False,
        help_text=_("Otherwise each visit is invoiced on its own."),
    )
    # Targets the reports measure (DESIGN.md), with the agencies' defaults.
    satisfaction_target_percent = models.PositiveSmallIntegerField(
        _("target: satisfied customers (%)"), default=85, validators=[MaxValueValidator(100)]
    )
    participation_target_percent = models.PositiveSmallIntegerField(
        _("target: feedback participation (%)"), default=70, validators=[MaxValueValidator(100)]
    )
    complaint_response_target_hours = models.PositiveSmallIntegerField(
        _("target: average first response to a complaint (hours, at most)"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(720)],
    )
    complaint_completion_target_percent = models.PositiveSmallIntegerField(
        _("target: complaints completed in time (%)"),
        default=90,
        validators=[MaxValueValidator(100)],
    )
    trainings_per_year = models.PositiveSmallIntegerField(
        _("trainings each staff member should have a year"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
    )
    training_target_percent = models.PositiveSmallIntegerField(
        _("target: staff with their yearly trainings (%)"),
        default=100,
        validators=[MaxValueValidator(100)],
    )
    turnover_target_percent = models.PositiveSmallIntegerField(
        _("target: staff turnover a year (%, at most)"),
        default=10,
        validators=[MaxValueValidator(100)],
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def today(self) -> date:
        """Today's date where the agency works (not where the server or the task runs)."""
        return timezone.now().astimezone(self.zone).date()

    def local_date(self, moment: datetime) -> date:
        return moment.astimezone(self.zone).date()


class TenantModel(models.Model):
    """Base of every table an agency owns."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True

    def validate_constraints(self, exclude: Collection[str] | None = None) -> None:
        """Django's check, but a per-agency unique constraint reports on its own field.

        Every unique constraint includes `agency` (DESIGN.md, "Tenancy"), so
        Django would file the error under no field; forms and the API should
        show "already exists" next to the field the user typed.
        """
        errors: dict[str, list[ValidationError]] = {}
        for model_class, constraints in self.get_constraints():
            for constraint in constraints:
                try:
                    constraint.validate(model_class, self, exclude=set(exclude or ()))
                except ValidationError as error:
                    field = _tenant_unique_field(constraint)
                    if field is None:
                        errors = error.update_error_dict(errors)
                        continue
                    errors.setdefault(field, []).append(
                        ValidationError(
                            _("A %(model)s with this %(field)s already exists."),
                            code="unique",
                            params={
                                "model": self._meta.verbose_name,
                                "field": self._meta.get_field(field).verbose_name,  # type: ignore[union-attr]
                            },
                        )
                    )
        if errors:
            raise ValidationError(errors)


def _tenant_unique_field(constraint: models.BaseConstraint) -> str | None:
    """The one field of a unique (agency, field) constraint, else None."""
    if not isinstance(constraint, models.UniqueConstraint) or constraint.condition is not None:
        return None
    fields = [name for name in constraint.fields if name != "agency"]
    return fields[0] if len(fields) == 1 and len(constraint.fields) == 2 else None


class Branch(TenantModel):
    """A store or office of the agency (门店)."""

    name = models.CharField(_("name"), max_length=120)
    code = models.SlugField(_("code"), max_length=30)
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("branch")
        verbose_name_plural = _("branches")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "code"], name="branch_code_unique_per_agency"
            ),
            models.UniqueConstraint(
                fields=["agency", "name"], name="branch_name_unique_per_agency"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    MANAGER = "manager", _("Manager")
    SUPERVISOR = "supervisor", _("Supervisor")
    DISPATCHER = "dispatcher", _("Dispatcher")
    FINANCE = "finance", _("Finance")
    STAFF = "staff", _("Field staff")


class Membership(TenantModel):
    """A user's place in one agency: a role, and optionally a home branch."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("branch")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["agency", "user"], name="membership_once_per_agency"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.agency_id} ({self.role})"


class Invitation(TenantModel):
    """A manager's offer of a role in the agency, sent by email.

    The membership exists only once the person accepts through the emailed
    link, with a new account or the one they have: a manager never learns
    whether the address already has an account, nor anything about it.
    """

    email = models.EmailField(_("email"))
    first_name = models.CharField(_("given name"), max_length=150, blank=True)
    last_name = models.CharField(_("family name"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("branch")
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("sent"))
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    membership = models.OneToOneField(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="invitation"
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-id"]
        constraints = [
            # Inviting the same address again renews the open invitation.
            models.UniqueConstraint(
                "agency",
                Lower("email"),
                condition=models.Q(accepted_at__isnull=True),
                name="invitation_open_once_per_email",
            ),
        ]

    def __str__(self) -> str:
        return f"invitation {self.pk} @ {self.agency_id} ({self.role})"

    @property
    def has_expired(self) -> bool:
        return timezone.now() > self.expires_at


class AuditLog(TenantModel):
    """Who did what to which object, when and from where (操作日志).

    Written only by services, through `agency.audit.audit_record`; never edited.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    #: The customer who acted (their portal or a signed link). A number, not a foreign key:
    #: customers live in `orders`, above this app.
    customer_id = models.PositiveBigIntegerField(_("customer"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=60)
    object_type = models.CharField(_("object type"), max_length=60)
    object_id = models.CharField(_("object id"), max_length=40)
    object_repr = models.CharField(_("object"), max_length=200)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["agency", "-created_at"], name="auditlog_agency_recent"),
            models.Index(
                fields=["agency", "object_type", "object_id"], name="auditlog_agency_object"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.object_repr}"


class Heartbeat(models.Model):
    """Proof that beat and a worker are alive: one row per beat slot.

    The unique slot is the sweep pattern in miniature (DESIGN.md, "Timers"): a
    duplicate beat or a redelivered task finds the row already there.
    """

    slot = models.DateTimeField(unique=True)
    recorded_at = models.DateTimeField()
    hostname = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-slot"]

    def __str__(self) -> str:
        return self.slot.isoformat()


class Channel(models.TextChoices):
    SMS = "sms", _("SMS")
    EMAIL = "email", _("Email")


class MessageStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    #: Handed to the provider; the outcome is recorded when it answers.
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    #: The provider's delivery receipt says the phone received it.
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")
    #: The provider never answered (the worker died mid-send): it may have gone out.
    UNKNOWN = "unknown", _("Outcome unknown: check with the provider before sending again")


class OutboundMessage(TenantModel):
    """An SMS or email to send: recorded first, sent after commit, retried until it goes.

    DESIGN.md, "Notifications": a failed send is retried, never lost. The row
    is the truth; Celery only speeds it up (the sweep finds what it missed).
    """

    channel = models.CharField(max_length=10, choices=Channel.choices)
    recipient = models.CharField(_("to"), max_length=254)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("text"))
    #: An email's attached file (a stored file's name, e.g. a report's PDF).
    attachment = models.FileField(max_length=200, blank=True)
    status = models.CharField(
        max_length=10, choices=MessageStatus.choices, default=MessageStatus.PENDING
    )
    #: The provider's idempotency key: the same on every attempt of this message.
    key = models.UUIDField(default=uuid.uuid4, editable=False)
    attempts = models.PositiveSmallIntegerField(default=0)
    #: When the last attempt was handed to the provider.
    attempted_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    #: The messaging rule that wrote it ("job.assigned:staff"); empty for a plain letter.
    rule = models.CharField(_("rule"), max_length=60, blank=True)
    recipient_name = models.CharField(_("name"), max_length=100, blank=True)
    #: What it is about, as "order:12", "customer:7", "staff:3": the message logs of
    #: those pages read it (one GIN index serves all of them).
    topics = ArrayField(models.CharField(max_length=40), default=list, blank=True)
    #: Once per event and recipient: a repeated announcement writes nothing.
    dedupe_key = models.CharField(max_length=160, blank=True)
    #: The provider's id of the sent message, which its delivery receipt names.
    provider_id = models.CharField(_("provider's id"), max_length=64, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    #: What the office knows it by (the order number), for a notice about this message.
    reference = models.CharField(_("reference"), max_length=40, blank=True)
    #: When the dispatchers were told that this text to a customer failed for good.
    failure_reported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("outbound message")
        verbose_name_plural = _("outbound messages")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status="pending"),
                name="outbound_pending_due",
            ),
            models.Index(
                fields=["attempted_at"],
                condition=models.Q(status="sending"),
                name="outbound_sending_since",
            ),
            GinIndex(fields=["topics"], name="outbound_topics"),
            models.Index(fields=["agency", "-created_at"], name="outbound_agency_recent"),
            models.Index(
                fields=["provider_id"],
                condition=~models.Q(provider_id=""),
                name="outbound_provider_id",
            ),
            # Delivery receipts name a message by its key too (Aliyun's out_id).
            models.Index(fields=["key"], name="outbound_key"),
            # The failed-texts sweep reads only the failures nobody was told about yet.
            models.Index(
                fields=["id"],
                condition=models.Q(
                    status="failed", rule__endswith=":customer", failure_reported_at=None
                ),
                name="outbound_failed_unreported",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "dedupe_key"],
                condition=~models.Q(dedupe_key=""),
                name="outbound_once_per_event",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel} → {self.recipient}"


class Notification(TenantModel):
    """An in-app notice for one person (the bell in the top bar), e.g. an SLA escalation.

    `key` names what it is about, so the same event notifies a person once.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    key = models.CharField(max_length=100)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "user", "key"], name="notification_once_per_person"
            ),
        ]
        indexes = [
            models.Index(
                fields=["agency", "user", "created_at"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class IdempotencyKey(TenantModel):
    """An API client's `Idempotency-Key` and the first answer given to it (agency.idempotency).

    The row is written in the same transaction as the request's work, so a key is
    only ever kept with a success; a second request with the key waits on the unique
    index until the first commits, then answers the same.
    """

    key = models.UUIDField()
    #: Who sent it: a member, or a customer on the portal (no foreign key: the agency app
    #: sits below orders, where customers live).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", null=True
    )
    customer_id = models.PositiveBigIntegerField(null=True)
    #: sha256 of the method, path and body: another request under the same key is refused.
    fingerprint = models.CharField(max_length=64)
    #: Null only inside the request's own transaction, before its answer is known.
    status_code = models.PositiveSmallIntegerField(null=True)
    response_body = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "key"], name="idempotency_key_once"),
            models.CheckConstraint(
                condition=models.Q(user__isnull=False, customer_id__isnull=True)
                | models.Q(user__isnull=True, customer_id__isnull=False),
                name="idempotency_key_one_sender",
            ),
        ]
        # The hourly prune reads the oldest keys of every agency.
        indexes = [models.Index(fields=["created_at"], name="idempotency_key_created")]

    def __str__(self) -> str:
        return str(self.key)


class DocumentCounter(TenantModel):
    """Per agency, kind and year, the last number given: locked while numbering.

    Sequential without gaps under concurrency (the row lock serialises issuers),
    which invoice numbers need too (DESIGN.md, "Billing").
    """

    kind = models.CharField(max_length=20)
    year = models.PositiveSmallIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        # The table was created by orders (where numbering began) and is kept by name.
        db_table = "orders_documentcounter"
        constraints = [
            models.UniqueConstraint(fields=["agency", "kind", "year"], name="counter_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}/{self.year}: {self.last_value}"


class DocumentStatus(models.TextChoices):
    PENDING = "pending", _("Being prepared")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Could not be prepared")


class Document(TenantModel):
    """A PDF built by the reports queue's worker and kept in storage (agency.documents).

    Keyed by what it depicts (`kind`, `ref`: an invoice, a payment's receipt, an order's
    acceptance record), the version of that content (`version`, which changes whenever
    the document would read differently) and its language: a changed invoice asks for a
    new row, never the stale file. The unique key makes a double click or two users at
    once build it once; the row is the truth, Celery only speeds it up (a sweep sends a
    lost build again).
    """

    kind = models.CharField(max_length=30)
    ref = models.PositiveBigIntegerField()
    version = models.CharField(max_length=64)
    language = models.CharField(max_length=10)
    file = models.FileField(max_length=200, upload_to=GeneratedName("documents"), blank=True)
    status = models.CharField(
        max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    requested_at = models.DateTimeField(default=timezone.now)
    #: When a build was last sent to the queue; the sweep sends it again when it is old.
    enqueued_at = models.DateTimeField(default=timezone.now)
    built_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "kind", "ref", "version", "language"],
                name="document_once_per_version",
            ),
        ]
        indexes = [
            models.Index(
                fields=["enqueued_at"],
                condition=models.Q(status="pending"),
                name="document_pending_since",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.ref} v{self.version} ({self.language})"
