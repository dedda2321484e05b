"""Every write of feedback: the request sent when an order is accepted, the customer's answer.

DESIGN.md, "Feedback and revisits": only the customer fills in the feedback
form — through a signed single-purpose link that works once, expires, and
speaks their language. The answer feeds the staff's ratings (handed down
through staff.services) and a low score is brought to the supervisors.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agency import signed_links
from agency.audit import Actor, audit_record
from agency.errors import StateConflict
from agency.models import Channel, Membership, Role
from agency.notifications import Notice, language_of, message_queue, notify
from feedback.models import FeedbackRequest, FeedbackResponse
from feedback.policy import policy_for
from feedback.revisits import schedule_low_score_follow_up
from orders.events import unread_events
from orders.models import SERVED, AssignmentStatus, Order, OrderEvent, OrderStatus
from orders.timeline import note
from staff.services.records import staff_record_rating

#: The feedback requests' cursor on the order timeline (orders.events).
REQUESTS = "feedback.requests"
QUESTIONS = ("quality", "attitude", "punctuality", "professionalism", "overall")


class FeedbackConflict(StateConflict):
    """Answered already, or the link has expired (a 409)."""


class FeedbackLinkInvalid(Exception):
    """Tampered or unknown."""


@dataclass(frozen=True)
class Answers:
    quality: int
    attitude: int
    punctuality: int
    professionalism: int
    overall: int
    comment: str = ""
    may_contact: bool = True


def token_for(request: FeedbackRequest) -> str:
    return signed_links.sign(signed_links.FEEDBACK, {"a": request.agency_id, "r": request.pk})


def request_from_token(token: str) -> FeedbackRequest:
    """The request a link names; its expiry is the request's own (checked on answering)."""
    try:
        payload = signed_links.unsign(signed_links.FEEDBACK, token)
        return FeedbackRequest.objects.select_related("agency", "order", "customer").get(
            pk=payload["r"], agency_id=payload["a"]
        )
    except (
        signed_links.SignatureInvalid,
        KeyError,
        TypeError,
        FeedbackRequest.DoesNotExist,
    ) as error:
        raise FeedbackLinkInvalid from error


def request_feedback_for_accepted_orders(*, limit: int = 200) -> int:
    """Send the feedback form for each accepted order not asked yet; how many were sent.

    Reads the acceptance events (`OrderEvent` to "accepted") after the requests'
    cursor (orders.events); a request exists once per order (a unique
    constraint), so a repeated or concurrent run asks once.
    """
    asked = FeedbackRequest.objects.filter(order=OuterRef("order"))
    events = OrderEvent.objects.filter(to_status=OrderStatus.ACCEPTED).filter(~Exists(asked))
    sent = 0
    with unread_events(REQUESTS, events, now=timezone.now(), limit=limit) as accepted:
        for event in accepted:
            with transaction.atomic():
                order = (
                    Order.objects.select_for_update(of=("self",))
                    .select_related("agency", "customer")
                    .get(pk=event.order_id)
                )
                if FeedbackRequest.objects.filter(agency_id=order.agency_id, order=order).exists():
                    continue
                feedback_request_send(order=order)
                sent += 1
    return sent


@transaction.atomic
def feedback_request_send(*, order: Order) -> FeedbackRequest:
    """Ask the customer for feedback by SMS, with their single-purpose link."""
    agency = order.agency
    now = timezone.now()
    request = FeedbackRequest.objects.create(
        agency=agency,
        order=order,
        customer=order.customer,
        sent_at=now,
        expires_at=now + policy_for(agency).link_valid_for,
    )
    url = settings.SITE_URL.rstrip("/") + reverse(
        "feedback_form", kwargs={"token": token_for(request)}
    )
    with translation.override(order.customer.preferred_language or agency.default_language):
        text = _("%(agency)s: how was your service (order %(number)s)? Tell us here: %(url)s") % {
            "agency": agency.name,
            "number": order.number,
            "url": url,
        }
    message_queue(agency=agency, channel=Channel.SMS, recipient=order.customer.phone, body=text)
    audit_record(
        agency=agency,
        actor=Actor.system(),
        action="feedback.request",
        target=order,
        changes={"order": order.number},
    )
    return request


@transaction.atomic
def feedback_submit(
    *, request: FeedbackRequest, actor: Actor, answers: Answers
) -> FeedbackResponse:
    """The customer's answers, once: they feed the ratings of the staff who served.

    Only the customer answers (their link, no login): a logged-in person is refused.
    """
    if actor.user is not None:
        raise PermissionDenied(_("Only the customer fills in the feedback form."))
    request = _locked(request)
    if request.answered_at is not None:
        raise FeedbackConflict(_("Thank you: this form has been answered already."))
    if request.has_expired:
        raise FeedbackConflict(_("This feedback link has expired."))
    return _answer(request, actor=actor, answers=answers)


@transaction.atomic
def feedback_give(*, order: Order, actor: Actor, answers: Answers) -> FeedbackResponse:
    """The customer gives feedback on one of their served orders at any time, asked or not
    (issue 18: "feedback to give, any time"): once per order. It answers the order's request
    if one was sent (its link's expiry does not matter: the customer is signed in), or
    records an unasked one, which then spares the order the SMS. Counted in the reports
    like any feedback; on the order's timeline as the customer's.

    Portal entry: `feedback_give(order=…, actor=Actor.customer(order.customer_id,
    ip_address=…), answers=Answers(…))`.
    """
    if actor.customer_id != order.customer_id:
        raise PermissionDenied(_("Only the customer fills in the feedback form."))
    order = (
        Order.objects.select_for_update(of=("self",))
        .select_related("agency", "customer")
        .get(pk=order.pk, agency_id=order.agency_id)
    )
    if order.status not in SERVED:
        raise FeedbackConflict(_("Feedback can be given once the service is accepted."))
    now = timezone.now()
    request, _created = FeedbackRequest.objects.get_or_create(
        agency_id=order.agency_id,
        order=order,
        defaults={
            "customer": order.customer,
            "sent_at": now,
            "expires_at": now,
            "unsolicited": True,
        },
    )
    request = _locked(request)
    if request.answered_at is not None:
        raise FeedbackConflict(_("Thank you: you have given feedback on this order already."))
    response = _answer(request, actor=actor, answers=answers)
    note(
        order,
        actor=actor,
        text=_("The customer gave feedback: overall %(overall)s/5.") % {"overall": answers.overall},
    )
    return response


def _locked(request: FeedbackRequest) -> FeedbackRequest:
    return (
        FeedbackRequest.objects.select_for_update(of=("self",))
        .select_related("agency", "order", "customer")
        .get(pk=request.pk, agency_id=request.agency_id)
    )


def _answer(request: FeedbackRequest, *, actor: Actor, answers: Answers) -> FeedbackResponse:
    """Record the answers once: they feed the ratings of the staff who served, and a low
    score is brought to the supervisors."""
    errors = {
        name: _("Choose a score from 1 to 5.")
        for name in QUESTIONS
        if not 1 <= getattr(answers, name) <= 5
    }
    if errors:
        raise ValidationError(errors)
    response = FeedbackResponse.objects.create(
        agency_id=request.agency_id,
        request=request,
        quality=answers.quality,
        attitude=answers.attitude,
        punctuality=answers.punctuality,
        professionalism=answers.professionalism,
        overall=answers.overall,
        comment=answers.comment.strip(),
        may_contact=answers.may_contact,
        ip_address=actor.ip_address,
    )
    request.answered_at = response.submitted_at
    request.save(update_fields=["answered_at"])
    for assignment in request.order.assignments.filter(
        status=AssignmentStatus.CONFIRMED
    ).select_related("staff"):
        staff_record_rating(staff=assignment.staff, score=answers.overall, actor=actor)
    if min(response.scores.values()) <= policy_for(request.agency).low_score:
        _tell_supervisors(response)
        schedule_low_score_follow_up(
            order=request.order,
            answered_at=response.submitted_at,
            note=_("Overall %(overall)s/5. %(comment)s")
            % {"overall": response.overall, "comment": response.comment},
        )
    audit_record(
        agency=request.agency,
        actor=actor,
        action="feedback.submit",
        target=request.order,
        changes=response.scores,
    )
    return response


def _tell_supervisors(response: FeedbackResponse) -> None:
    """A low score goes to the supervisors (in-app and email), with the customer's page."""
    request = response.request
    agency = request.agency
    supervisors = [
        member.user
        for member in Membership.objects.filter(
            agency=agency, role=Role.SUPERVISOR, is_active=True
        ).select_related("user")
    ]
    notices = []
    for user in supervisors:
        with translation.override(language_of(user, agency)):
            notices.append(
                Notice(
                    agency_id=agency.pk,
                    user=user,
                    key=f"feedback-low-{response.pk}",
                    title=_("Low score from %(customer)s (order %(number)s)")
                    % {"customer": request.customer.name, "number": request.order.number},
                    body=_("Overall %(overall)s/5. %(comment)s")
                    % {"overall": response.overall, "comment": response.comment},
                    link=reverse("customer_detail", kwargs={"pk": request.customer_id}),
                )
            )
    notify(notices)
