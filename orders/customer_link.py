"""The customer's signed single-purpose link (no account): review, then sign.

One address for every link; the token's purpose picks the page. Confirming the
booking, the staff card and cancelling are answered here (they span intake and
staffing); the service's pages (acceptance, a change), billing's (the invoice) and the
day-before confirmation (orders.day_before_link) are their own, and `WING_PAGES` names them.

Opened on a phone; in the customer's language; shows the needs form and the
quote, or the proposed staff's card (name, photo, qualifications), but never a
staff member's phone (DESIGN.md, "Who uses it").
"""

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext_lazy

from agency.audit import Actor
from agency.errors import StateConflict
from agency.media import media_url
from orders.billing.views.customer_link import InvoiceLinkView
from orders.day_before_link import DayBeforeLinkView
from orders.intake.forms import CustomerCancelForm, CustomerSignForm
from orders.intake.services.booking import order_confirm
from orders.intake.services.cancellation import cancellation_terms, order_request_cancellation
from orders.lifecycle import ALLOWED
from orders.link_pages import CustomerLinkBase, refusal
from orders.links import LinkInvalid, read_token
from orders.models import (
    Assignment,
    AssignmentStatus,
    Order,
    OrderStatus,
    SignaturePurpose,
    SignedVia,
)
from orders.service.views.customer_link import AcceptanceLinkView, ChangeLinkView
from orders.staffing.services import (
    ANSWERABLE,
    VIA_LINK,
    assignment_confirm,
    assignment_decline,
)
from staff.models import Certificate, StaffMember

CONFIRMABLE = frozenset(s for s, nexts in ALLOWED.items() if OrderStatus.CONFIRMED in nexts)
CONFIRM = "confirm"
DECLINE = "decline"


class StaffCardForm(forms.Form):
    """The customer's answer to the proposed staff: sign to confirm, or decline."""

    decision = forms.ChoiceField(choices=[(CONFIRM, CONFIRM), (DECLINE, DECLINE)])
    # The proposal this page showed: confirming a different one is refused.
    shown = forms.CharField(widget=forms.HiddenInput)
    signed_name = forms.CharField(
        label=gettext_lazy("your full name"), max_length=100, required=False
    )
    agree = forms.BooleanField(
        label=gettext_lazy("I agree to the staff shown above."), required=False
    )
    reason = forms.CharField(
        label=gettext_lazy("if you decline: what would you like instead?"),
        max_length=255,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_shown(self) -> list[int]:
        raw = self.cleaned_data["shown"]
        if not all(part.isdigit() for part in raw.split(",")):
            raise ValidationError(gettext_lazy("Reload the page and try again."))
        return [int(part) for part in raw.split(",")]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == CONFIRM:
            if not data.get("signed_name", "").strip():
                self.add_error("signed_name", gettext_lazy("Type your full name to sign."))
            if not data.get("agree"):
                self.add_error("agree", gettext_lazy("Tick the box to agree."))
        return data


#: The purposes whose page a wing answers; the others are `CustomerLinkView`'s.
WING_PAGES: dict[str, type[CustomerLinkBase]] = {
    SignaturePurpose.ACCEPT_SERVICE: AcceptanceLinkView,
    SignaturePurpose.APPROVE_CHANGE: ChangeLinkView,
    SignaturePurpose.VIEW_INVOICE: InvoiceLinkView,
    SignaturePurpose.DAY_BEFORE: DayBeforeLinkView,
}


def customer_link(request: HttpRequest, token: str) -> HttpResponseBase:
    """Every customer link has this one address; the token's purpose picks the page."""
    try:
        claim = read_token(token)
    except LinkInvalid:
        return render(request, "orders/link_invalid.html", status=404)
    view = WING_PAGES.get(claim.purpose, CustomerLinkView)
    return view.as_view()(request, claim=claim)


class CustomerLinkView(CustomerLinkBase):
    """Confirm the booking, confirm or decline the proposed staff, or ask to cancel."""

    def get_queryset(self) -> QuerySet[Order]:
        return super().get_queryset().prefetch_related("quotes")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self._page(request, form=self._form_class()())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self._form_class()(request.POST)
        if form.is_valid():
            actor = self.customer()
            user_agent = request.headers.get("User-Agent", "")
            try:
                if self.claim.purpose == SignaturePurpose.CONFIRM_STAFF:
                    self._answer_staff_card(form.cleaned_data, actor=actor, user_agent=user_agent)
                elif self.claim.purpose == SignaturePurpose.CONFIRM_ORDER:
                    order_confirm(
                        order=self.order,
                        quote_id=self.claim.ref or 0,
                        signed_name=form.cleaned_data["signed_name"],
                        via=SignedVia.LINK,
                        actor=actor,
                        user_agent=user_agent,
                    )
                else:
                    order_request_cancellation(
                        order=self.order,
                        actor=actor,
                        reason=form.cleaned_data["reason"],
                        signed_name=form.cleaned_data["signed_name"],
                        via=SignedVia.LINK,
                        user_agent=user_agent,
                    )
            except (ValidationError, StateConflict) as error:
                return self._page(request, form=form, problem=refusal(error), status=409)
            self.order.refresh_from_db()
            declined = form.cleaned_data.get("decision") == DECLINE
            return self._page(request, form=None, done=True, declined=declined)
        return self._page(request, form=form, status=400)

    def _answer_staff_card(self, data: dict[str, Any], *, actor: Actor, user_agent: str) -> None:
        if data["decision"] == CONFIRM:
            assignment_confirm(
                order=self.order,
                via=VIA_LINK,
                actor=actor,
                signed_name=data["signed_name"],
                shown=data["shown"],
                user_agent=user_agent,
            )
        else:
            # Declining needs no signature: nothing is agreed to, the office calls back.
            assignment_decline(order=self.order, actor=actor, reason=data["reason"])

    def _form_class(self) -> type[forms.Form]:
        if self.claim.purpose == SignaturePurpose.CONFIRM_STAFF:
            return StaffCardForm
        return (
            CustomerSignForm
            if self.claim.purpose == SignaturePurpose.CONFIRM_ORDER
            else CustomerCancelForm
        )

    def _staff_cards(self) -> list[dict[str, Any]]:
        """The proposed people as the customer sees them: never a phone number."""
        proposed = (
            Assignment.objects.filter(
                agency_id=self.order.agency_id,
                order=self.order,
                status=AssignmentStatus.PROPOSED,
            )
            .select_related("staff")
            .prefetch_related(
                "staff__skills",
                Prefetch("staff__certificates", queryset=Certificate.objects.order_by("kind")),
            )
            .order_by("role", "id")
        )
        first_day = self.order.agency.local_date(self.order.starts_at)
        last_day = self.order.agency.local_date(self.order.ends_at)
        return [staff_card(a, first_day=first_day, last_day=last_day) for a in proposed]

    def _page(self, request: HttpRequest, *, status: int = 200, **context: Any) -> HttpResponse:
        order = self.order
        quote = next((q for q in order.quotes.all() if q.pk == self.claim.ref), None)
        terms = (
            cancellation_terms(order)
            if self.claim.purpose == SignaturePurpose.CANCEL_ORDER
            else None
        )
        cards = self._staff_cards() if self.claim.purpose == SignaturePurpose.CONFIRM_STAFF else []
        if self.claim.purpose == SignaturePurpose.CONFIRM_STAFF:
            can_sign = bool(cards) and order.status in ANSWERABLE
        elif terms is not None:
            can_sign = (
                terms.allowed
                and not order.cancellations.filter(status="awaiting_approval").exists()
            )
        else:
            can_sign = order.status in CONFIRMABLE
        return render(
            request,
            "orders/customer_link.html",
            {
                "order": order,
                "needs": order.needs_form,
                "quote": quote,
                "purpose": self.claim.purpose,
                "terms": terms,
                "can_sign": can_sign,
                "staff_cards": cards,
                "shown": ",".join(str(card["id"]) for card in cards),
                **context,
            },
            status=status,
        )


def staff_card(assignment: Assignment, *, first_day: date, last_day: date) -> dict[str, Any]:
    """Name, photo and qualifications of one proposed person (DESIGN.md: never the phone).

    Only what the customer is meant to see is copied out; the template never
    receives the staff record itself.
    """
    member: StaffMember = assignment.staff
    return {
        "id": assignment.pk,
        "role": assignment.get_role_display(),
        "name": member.name,
        "photo_url": media_url(member.photo),
        "gender": member.get_gender_display(),
        "years_experience": member.years_experience,
        "languages": member.languages,
        "rating": member.rating if member.rating_count else None,
        "rating_count": member.rating_count,
        "skills": sorted(
            ((skill.code, skill.level) for skill in member.skills.all()),
            key=lambda skill: (-skill[1], skill[0]),
        ),
        "certificates": sorted(
            {
                str(certificate.get_kind_display())
                for certificate in member.certificates.all()
                if certificate.issued_on <= first_day
                and (certificate.expires_on is None or certificate.expires_on > last_day)
            }
        ),
    }
