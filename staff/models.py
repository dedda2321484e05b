"""Field staff (服务人员): who they are, what they can do and prove, when they work.

Matching (`orders.staffing.matching`) reads these tables; it never writes them.
Ratings arrive from feedback through `staff.services` (DESIGN.md, "Architecture").
"""

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import ArrayField, DateTimeRangeField, RangeOperators
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from agency.bounds import TEXT_MAX_LENGTH
from agency.models import Branch, TenantModel
from agency.uploads import GeneratedName, validate_document, validate_photo


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")


class EmploymentStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    LEFT = "left", _("Left")


class CertificateKind(models.TextChoices):
    """Codes that service types name in `required_certificates`."""

    HEALTH = "health", pgettext_lazy("certificate", "Health certificate")
    MATERNITY_NURSE = "maternity-nurse", pgettext_lazy("certificate", "Maternity-nurse grade")
    CHILDCARE = "childcare", pgettext_lazy("certificate", "Childcare")
    ELDERLY_CARE = "elderly-care", pgettext_lazy("certificate", "Elderly care")
    CLEANING = "cleaning", pgettext_lazy("certificate", "Cleaning")
    ELECTRICIAN = "electrician", pgettext_lazy("certificate", "Electrician")
    OTHER = "other", pgettext_lazy("certificate", "Other")


class Level(TenantModel):
    """A grade of the agency's staff (初级, 中级, 高级, 金牌), ranked from 1 (the entry
    level). Its criteria say what a promotion to it asks for (`performance`); the pay
    rules' piece rates and the matching score read a staff member's level (issue 21)."""

    name = models.CharField(_("name"), max_length=60)
    rank = models.PositiveSmallIntegerField(
        _("rank"), validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    min_rating = models.DecimalField(
        _("lowest average rating"),
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    min_jobs = models.PositiveIntegerField(_("jobs done at least"), default=0)
    min_months = models.PositiveSmallIntegerField(_("months with the agency at least"), default=0)
    min_trainings = models.PositiveSmallIntegerField(
        _("trainings in the last 12 months at least"), default=0
    )
    max_upheld_complaints = models.PositiveSmallIntegerField(
        _("upheld complaints in the last 12 months at most"), null=True, blank=True
    )
    #: Points the matching score adds for a staff member at this level.
    matching_bonus = models.PositiveSmallIntegerField(
        _("matching bonus"), default=0, validators=[MaxValueValidator(50)]
    )
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("level")
        verbose_name_plural = _("levels")
        ordering = ["rank"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "rank"], name="level_rank_unique"),
            models.UniqueConstraint(fields=["agency", "name"], name="level_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class StaffMember(TenantModel):
    home_branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="+", verbose_name=_("home branch")
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff_profile",
        verbose_name=_("login"),
    )
    name = models.CharField(_("name"), max_length=100)
    #: The staff number (工号): given in turn per agency when the person is taken on.
    staff_number = models.PositiveIntegerField(_("staff number"), null=True, blank=True)
    level = models.ForeignKey(
        Level,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("level"),
    )
    photo = models.ImageField(
        _("photo"),
        upload_to=GeneratedName("staff/photos"),
        blank=True,
        validators=[validate_photo],
    )
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices)
    birth_year = models.PositiveSmallIntegerField(
        _("birth year"), null=True, blank=True, validators=[MinValueValidator(1940)]
    )
    languages = ArrayField(
        models.CharField(max_length=30),
        default=list,
        blank=True,
        verbose_name=_("languages and dialects"),
    )
    years_experience = models.PositiveSmallIntegerField(_("years of experience"), default=0)
    districts = ArrayField(
        models.CharField(max_length=60), default=list, blank=True, verbose_name=_("service areas")
    )
    accepts_live_in = models.BooleanField(_("accepts live-in placements"), default=False)
    status = models.CharField(
        _("employment status"),
        max_length=10,
        choices=EmploymentStatus.choices,
        default=EmploymentStatus.ACTIVE,
    )
    started_on = models.DateField(_("started"))
    left_on = models.DateField(_("left"), null=True, blank=True)
    # Never shown to a customer (DESIGN.md); office roles only.
    phone = models.CharField(_("phone"), max_length=21)
    emergency_contact = models.CharField(_("emergency contact"), max_length=200, blank=True)
    #: The resident ID number (身份证号) a placement contract names; masked on every
    #: copy but the agency's own (placements.contracts).
    id_number = models.CharField(_("ID number"), max_length=18, blank=True)
    notes = models.TextField(_("notes"), blank=True, max_length=TEXT_MAX_LENGTH)
    # Kept by staff.services from customer feedback: mean score 1–5 and how many.
    rating = models.DecimalField(_("rating"), max_digits=3, decimal_places=2, null=True, blank=True)
    rating_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    # How the staff member hears of their jobs (messaging): by SMS, in the app, or both.
    notify_by_sms = models.BooleanField(_("job messages by SMS"), default=True)
    notify_in_app = models.BooleanField(_("job messages in the app"), default=True)

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("started_on")),
                name="staff_leaves_after_starting",
            ),
            models.UniqueConstraint(fields=["agency", "staff_number"], name="staff_number_unique"),
        ]
        indexes = [models.Index(fields=["agency", "status"], name="staff_agency_status")]

    def __str__(self) -> str:
        return self.name


class StaffSkill(TenantModel):
    """A skill (code as in `ServiceType.required_skills`) and how good, 1 to 5."""

    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="skills")
    code = models.SlugField(_("skill"), max_length=50)
    level = models.PositiveSmallIntegerField(
        _("level"), default=3, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    class Meta:
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "staff", "code"], name="skill_once_per_staff"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.level})"


class Certificate(TenantModel):
    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="certificates")
    kind = models.CharField(_("type"), max_length=30, choices=CertificateKind.choices)
    number = models.CharField(_("number"), max_length=60, blank=True)
    issued_on = models.DateField(pgettext_lazy("certificate", "issued"))
    expires_on = models.DateField(_("expires"), null=True, blank=True)
    scan = models.FileField(
        _("scan"),
        upload_to=GeneratedName("staff/certificates"),
        blank=True,
        validators=[validate_document],
    )

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["expires_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gt=F("issued_on")),
                name="certificate_expires_after_issue",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class TrainingKind(models.TextChoices):
    TRAINING = "training", _("Training")
    ASSESSMENT = "assessment", _("Assessment")


class Training(TenantModel):
    """A training (培训) or an assessment (考核); DESIGN.md asks for two a year per person."""

    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="trainings")
    kind = models.CharField(_("kind"), max_length=12, choices=TrainingKind.choices)
    course = models.CharField(_("course"), max_length=200)
    held_on = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1, default=0)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1, null=True, blank=True)
    result = models.CharField(_("result"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("training")
        verbose_name_plural = _("trainings and assessments")
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return self.course


class WorkingHours(TenantModel):
    """One block of the weekly working pattern: a weekday (0 = Monday) and hours."""

    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="working_hours")
    weekday = models.PositiveSmallIntegerField(_("weekday"), validators=[MaxValueValidator(6)])
    starts = models.TimeField(_("from"))
    ends = models.TimeField(_("until"))

    class Meta:
        verbose_name = _("working hours")
        verbose_name_plural = _("working pattern")
        ordering = ["weekday", "starts"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends__gt=F("starts")), name="working_hours_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.weekday} {self.starts}–{self.ends}"


class TimeOffStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class TimeOff(TenantModel):
    """Time off (请假): requested, then approved or rejected by a supervisor."""

    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="time_off")
    period = DateTimeRangeField(_("period"))
    reason = models.CharField(_("reason"), max_length=255)
    status = models.CharField(
        max_length=10, choices=TimeOffStatus.choices, default=TimeOffStatus.REQUESTED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("time off")
        verbose_name_plural = _("time off")
        ordering = ["-period"]
        constraints = [
            # The same person cannot have two approved absences that overlap.
            ExclusionConstraint(
                name="time_off_approved_do_not_overlap",
                expressions=[
                    ("agency", RangeOperators.EQUAL),
                    ("staff", RangeOperators.EQUAL),
                    ("period", RangeOperators.OVERLAPS),
                ],
                condition=Q(status="approved"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.staff_id}: {self.period}"


class Penalty(TenantModel):
    """A penalty on a staff member's record, e.g. for a complaint upheld against them.

    `source` names what it came from (complaints hand the fact down through
    staff.services; DESIGN.md, "Architecture"), so it is recorded once.
    """

    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="penalties")
    amount = models.DecimalField(
        _("amount"), max_digits=10, decimal_places=2, validators=[MinValueValidator(0)]
    )
    reason = models.CharField(_("reason"), max_length=300)
    source = models.CharField(max_length=100)
    link = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("penalty")
        verbose_name_plural = _("penalties")
        ordering = ["-recorded_at"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "source"], name="penalty_once_per_source")
        ]

    def __str__(self) -> str:
        return f"{self.staff_id}: {self.amount}"


class StaffPolicy(TenantModel):
    """The agency's staff rules that matching enforces (issue 21): the induction course a
    person must have done (a training of that course) before their first job. Empty: no
    such rule. One row per agency, kept by the manager on the levels page."""

    induction_course = models.CharField(_("induction course"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("staff policy")
        verbose_name_plural = _("staff policies")
        constraints = [
            models.UniqueConstraint(fields=["agency"], name="staffpolicy_one_per_agency")
        ]

    def __str__(self) -> str:
        return self.induction_course or "—"
