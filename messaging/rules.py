"""The rules: which event tells whom, through which channels, with which variables.

Read top to bottom, this is the whole of who hears what. A service that writes an
event calls `messaging.services.announce(event=…)`; every rule of that event writes
one message to each recipient of its audience. The customer's channel is their
preference among the rule's channels; staff choose SMS and/or in-app; the office is
told in the app (and by email where they have an address).

`urgent` messages go out in quiet hours too (the staff member is at the door now);
`promotional` ones never do, and never to a customer who opted out.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from agency.models import Role


class Audience(models.TextChoices):
    CUSTOMER = "customer", _("Customer")
    STAFF = "staff", _("Field staff")
    OFFICE = "office", _("Office")


class Via(models.TextChoices):
    """How a message reaches its reader."""

    SMS = "sms", _("SMS")
    EMAIL = "email", _("Email")
    IN_APP = "in_app", _("In the app")


class Event(models.TextChoices):
    JOB_PROPOSED = "job.proposed", _("A staff member is proposed for a job")
    JOB_ASSIGNED = "job.assigned", _("A staff member is assigned to a job")
    JOB_CHANGED = "job.changed", _("A job's time, tasks or fee changed")
    JOB_CANCELLED = "job.cancelled", _("A job is cancelled")
    JOB_REPLACED = "job.replaced", _("A staff member is taken off a job")
    JOB_DECLINED = "job.declined", _("A staff member declined a job")
    JOB_NOT_ACKNOWLEDGED = "job.not_acknowledged", _("A job was not acknowledged in time")
    JOB_LATE = "job.late", _("A staff member checked in late")
    JOB_NO_SHOW = "job.no_show", _("A staff member did not check in (no-show)")
    JOBS_TOMORROW = "jobs.tomorrow", _("The evening before: tomorrow's jobs")
    BOOKING_CONFIRMED = "order.confirmed", _("A booking is confirmed")
    STAFF_CARD = "order.staff_card", _("The staff card is ready")
    DAY_BEFORE = "order.day_before", _("The day before the job")
    ORDER_MOVED = "order.moved", _("A booking moved to another time")
    BOOKING_REQUEST_DECLINED = "booking_request.declined", _("A booking request is declined")
    CHANGE_ASKED = "order.change_asked", _("A customer asked for a change on the day-before link")
    ON_THE_WAY = "job.on_the_way", _("The staff member set out")
    ARRIVED = "job.arrived", _("The staff member checked in")
    CUSTOMER_SIGNED = "order.customer_signed", _("The customer signed")
    ACCEPTANCE_TO_SIGN = "acceptance.to_sign", _("The acceptance waits for the customer")
    ACCEPTANCE_STAGE = "acceptance.stage", _("An acceptance stage waits for a reviewer")
    INVOICE_ISSUED = "invoice.issued", _("An invoice is issued")
    PAYMENT_RECEIVED = "payment.received", _("A payment is received")
    REFUND_APPROVED = "refund.approved", _("A refund is approved")
    REFUND_PAID = "refund.paid", _("A refund is paid")
    CARD_EXPIRING = "prepaid.expiring", _("A prepaid card expires in 30 days")
    COMPLAINT_RECEIVED = "complaint.received", _("A complaint is received")
    COMPLAINT_STEP = "complaint.step", _("A complaint moved a step")
    COMPLAINT_RESOLVED = "complaint.resolved", _("A complaint is resolved")
    COMPLAINT_SOLUTION = "complaint.solution", _("The customer agreed a complaint's solution")
    COMPLAINT_REPLY_PROMISED = "complaint.reply_promised", _("A reply to a complaint is promised")
    COMPLAINT_ESCALATED = "complaint.escalated", _("A complaint is escalated")
    COMPLAINT_CLOSED = "complaint.closed", _("A complaint is closed")
    TIME_OFF_REQUESTED = "staff.time_off", _("A staff member asked for time off")
    MESSAGE_FAILED = "message.failed", _("A text to a customer could not be sent")
    RISK_REVIEW_DUE = "risk.review_due", _("An emergency plan is due for review")
    INCIDENT_REPORTED = "incident.reported", _("An incident on a job is reported")
    VALUABLES_TO_CONFIRM = "valuables.to_confirm", _("The valuables check waits for the customer")
    PLACEMENT_TRIAL_ENDS = "placement.trial_ends", _("A placement's trial period ends")
    PLACEMENT_RENEWAL = "placement.renewal", _("A placement's last day is near: renew?")
    CONTRACT_TO_SIGN = "placement.contract_to_sign", _("A placement contract waits for signature")
    STAFF_SURVEY = "voice.survey", _("The staff survey is open: the link to answer it")
    SUGGESTION_ANSWERED = "voice.suggestion_answered", _("A staff member's suggestion is answered")


@dataclass(frozen=True)
class Rule:
    event: Event
    audience: Audience
    channels: tuple[Via, ...]
    variables: tuple[str, ...]
    #: Who in the office, when the caller names nobody.
    roles: tuple[Role, ...] = ()
    urgent: bool = False
    promotional: bool = False

    @property
    def code(self) -> str:
        """The rule's name, e.g. "job.assigned:staff": the key of its templates."""
        return f"{self.event.value}:{self.audience.value}"

    @property
    def label(self) -> str | Promise:
        return self.event.label


STAFF_VIA = (Via.SMS, Via.IN_APP)
CUSTOMER_VIA = (Via.SMS, Via.EMAIL)
OFFICE_VIA = (Via.IN_APP,)
DESK = (Role.DISPATCHER,)

#: What every message about a job may say.
JOB = ("agency_name", "order_number", "service_name", "job_date", "job_time")
STAFF_JOB = (*JOB, "staff_name", "job_district")
CUSTOMER_JOB = (*JOB, "customer_name", "staff_name")
OFFICE_JOB = (*JOB, "customer_name", "staff_name")
COMPLAINT = ("agency_name", "customer_name", "complaint_number")
PLACEMENT_RENEWAL = ("agency_name", "customer_name", "order_number", "ends_on")
RISK_REVIEW = ("agency_name", "document_title", "review_date")
CONTRACT_TO_SIGN = ("agency_name", "order_number", "service_name", "link")

RULES: tuple[Rule, ...] = (
    # Field staff: never the customer's phone or address (no such variable exists).
    Rule(Event.JOB_PROPOSED, Audience.STAFF, STAFF_VIA, (*STAFF_JOB, "job_fee")),
    Rule(Event.JOB_ASSIGNED, Audience.STAFF, STAFF_VIA, (*STAFF_JOB, "job_fee")),
    Rule(Event.JOB_CHANGED, Audience.STAFF, STAFF_VIA, (*STAFF_JOB, "change_summary")),
    Rule(Event.JOB_CANCELLED, Audience.STAFF, STAFF_VIA, (*STAFF_JOB, "reason")),
    Rule(Event.JOB_REPLACED, Audience.STAFF, STAFF_VIA, (*STAFF_JOB, "reason")),
    Rule(
        Event.JOBS_TOMORROW,
        Audience.STAFF,
        STAFF_VIA,
        ("agency_name", "staff_name", "job_date", "job_count", "jobs_list"),
    ),
    Rule(Event.CONTRACT_TO_SIGN, Audience.STAFF, STAFF_VIA, (*CONTRACT_TO_SIGN, "staff_name")),
    # The staff's own voice (issue 21): the survey's link names no one else.
    Rule(
        Event.STAFF_SURVEY,
        Audience.STAFF,
        STAFF_VIA,
        ("agency_name", "staff_name", "survey_title", "closes_on", "link"),
    ),
    Rule(
        Event.SUGGESTION_ANSWERED,
        Audience.STAFF,
        STAFF_VIA,
        ("agency_name", "staff_name", "answer"),
    ),
    # Customers: never a staff member's phone (no such variable exists).
    Rule(Event.BOOKING_CONFIRMED, Audience.CUSTOMER, CUSTOMER_VIA, CUSTOMER_JOB),
    Rule(Event.STAFF_CARD, Audience.CUSTOMER, CUSTOMER_VIA, (*CUSTOMER_JOB, "link")),
    Rule(Event.DAY_BEFORE, Audience.CUSTOMER, CUSTOMER_VIA, (*CUSTOMER_JOB, "link")),
    Rule(Event.ORDER_MOVED, Audience.CUSTOMER, CUSTOMER_VIA, CUSTOMER_JOB),
    Rule(
        Event.BOOKING_REQUEST_DECLINED,
        Audience.CUSTOMER,
        CUSTOMER_VIA,
        ("agency_name", "customer_name", "service_name", "job_date", "reason"),
    ),
    Rule(Event.ON_THE_WAY, Audience.CUSTOMER, CUSTOMER_VIA, CUSTOMER_JOB, urgent=True),
    Rule(Event.ARRIVED, Audience.CUSTOMER, CUSTOMER_VIA, CUSTOMER_JOB, urgent=True),
    Rule(Event.ACCEPTANCE_TO_SIGN, Audience.CUSTOMER, CUSTOMER_VIA, (*CUSTOMER_JOB, "link")),
    Rule(
        Event.INVOICE_ISSUED,
        Audience.CUSTOMER,
        CUSTOMER_VIA,
        ("agency_name", "customer_name", "order_number", "invoice_number", "amount", "link"),
    ),
    Rule(
        Event.PAYMENT_RECEIVED,
        Audience.CUSTOMER,
        CUSTOMER_VIA,
        ("agency_name", "customer_name", "order_number", "receipt_number", "amount", "link"),
    ),
    Rule(
        Event.REFUND_APPROVED,
        Audience.CUSTOMER,
        CUSTOMER_VIA,
        ("agency_name", "customer_name", "order_number", "amount"),
    ),
    Rule(
        Event.REFUND_PAID,
        Audience.CUSTOMER,
        CUSTOMER_VIA,
        ("agency_name", "customer_name", "order_number", "amount"),
    ),
    Rule(
        Event.CARD_EXPIRING,
        Audience.CUSTOMER,
        CUSTOMER_VIA,
        ("agency_name", "customer_name", "card_number", "card_name", "balance", "valid_until"),
    ),
    Rule(Event.COMPLAINT_RECEIVED, Audience.CUSTOMER, CUSTOMER_VIA, COMPLAINT),
    Rule(
        Event.VALUABLES_TO_CONFIRM,
        Audience.CUSTOMER,
        CUSTOMER_VIA,
        ("agency_name", "customer_name", "order_number", "link"),
    ),
    Rule(
        Event.PLACEMENT_TRIAL_ENDS,
        Audience.CUSTOMER,
        CUSTOMER_VIA,
        ("agency_name", "customer_name", "order_number", "staff_name", "link"),
    ),
    Rule(Event.PLACEMENT_RENEWAL, Audience.CUSTOMER, CUSTOMER_VIA, PLACEMENT_RENEWAL),
    Rule(
        Event.CONTRACT_TO_SIGN,
        Audience.CUSTOMER,
        CUSTOMER_VIA,
        (*CONTRACT_TO_SIGN, "customer_name"),
    ),
    Rule(Event.COMPLAINT_STEP, Audience.CUSTOMER, CUSTOMER_VIA, (*COMPLAINT, "step")),
    Rule(Event.COMPLAINT_RESOLVED, Audience.CUSTOMER, CUSTOMER_VIA, (*COMPLAINT, "resolution")),
    Rule(Event.COMPLAINT_SOLUTION, Audience.CUSTOMER, CUSTOMER_VIA, (*COMPLAINT, "solution")),
    Rule(Event.COMPLAINT_REPLY_PROMISED, Audience.CUSTOMER, CUSTOMER_VIA, (*COMPLAINT, "reply_by")),
    Rule(Event.COMPLAINT_ESCALATED, Audience.CUSTOMER, CUSTOMER_VIA, (*COMPLAINT, "escalated_to")),
    Rule(Event.COMPLAINT_CLOSED, Audience.CUSTOMER, CUSTOMER_VIA, COMPLAINT),
    # The office.
    Rule(Event.CUSTOMER_SIGNED, Audience.OFFICE, OFFICE_VIA, (*OFFICE_JOB, "document"), DESK),
    Rule(
        Event.ACCEPTANCE_STAGE,
        Audience.OFFICE,
        OFFICE_VIA,
        (*OFFICE_JOB, "stage"),
        (Role.SUPERVISOR,),
    ),
    Rule(
        Event.TIME_OFF_REQUESTED,
        Audience.OFFICE,
        OFFICE_VIA,
        ("agency_name", "staff_name", "dates", "reason"),
        (Role.SUPERVISOR, Role.DISPATCHER),
    ),
    Rule(Event.PLACEMENT_RENEWAL, Audience.OFFICE, OFFICE_VIA, PLACEMENT_RENEWAL, DESK),
    Rule(Event.CHANGE_ASKED, Audience.OFFICE, OFFICE_VIA, (*OFFICE_JOB, "request_text"), DESK),
    Rule(Event.JOB_DECLINED, Audience.OFFICE, OFFICE_VIA, (*OFFICE_JOB, "reason"), DESK),
    Rule(Event.JOB_NOT_ACKNOWLEDGED, Audience.OFFICE, OFFICE_VIA, (*OFFICE_JOB, "minutes"), DESK),
    Rule(Event.JOB_LATE, Audience.OFFICE, OFFICE_VIA, (*OFFICE_JOB, "minutes"), DESK),
    Rule(Event.JOB_NO_SHOW, Audience.OFFICE, OFFICE_VIA, (*OFFICE_JOB, "minutes"), DESK),
    Rule(
        Event.MESSAGE_FAILED,
        Audience.OFFICE,
        OFFICE_VIA,
        ("agency_name", "customer_name", "order_number", "reason"),
        DESK,
    ),
    Rule(Event.RISK_REVIEW_DUE, Audience.OFFICE, OFFICE_VIA, RISK_REVIEW, (Role.MANAGER,)),
    # At once, day or night, by every channel: someone may be hurt or in danger now.
    Rule(
        Event.INCIDENT_REPORTED,
        Audience.OFFICE,
        (Via.IN_APP, Via.SMS, Via.EMAIL),
        ("agency_name", "incident_number", "incident_kind", "order_number", "staff_name"),
        (Role.SUPERVISOR, Role.MANAGER),
        urgent=True,
    ),
)

BY_CODE: dict[str, Rule] = {rule.code: rule for rule in RULES}


def rules_of(event: Event) -> list[Rule]:
    return [rule for rule in RULES if rule.event == event]


def rule(code: str) -> Rule:
    """The rule named `code`; KeyError for a name that is none."""
    return BY_CODE[code]
