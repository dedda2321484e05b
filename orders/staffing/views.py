"""Staffing an order: the ranked candidates, "why not?", and the assignment actions.

The matching page (`/orders/<pk>/staff/`) lists the candidates with their
reasons and proposes a lead and team members; with `?replace=<assignment>` it
ranks replacements (换人) for what is left of the service. The actions that
follow a proposal — the staff card for the customer, a confirmation or a
refusal heard on the phone, a release — are POSTs from the order page or the
matching page; each calls one service and comes back with a message.
"""

from typing import Any, ClassVar
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, View

from agency.action_views import QuickActionMixin
from agency.errors import StateConflict
from agency.permissions import Area
from agency.tenant_views import TenantObjectMixin
from orders import links
from orders.models import (
    Assignment,
    AssignmentStatus,
    Order,
    SignaturePurpose,
)
from orders.staffing import services
from orders.staffing.matching import orders_to_match, rank_candidates, why_not
from orders.staffing.selectors import assignments_of
from staff.models import StaffMember


class ProposeForm(forms.Form):
    """One on-site lead and, for a team, members, of the agency (the service says who cannot go)."""

    lead = forms.ModelChoiceField(
        label=gettext_lazy("on-site lead"),
        queryset=StaffMember.objects.none(),
        error_messages={"required": gettext_lazy("Choose the on-site lead.")},
    )
    members = forms.ModelMultipleChoiceField(
        label=gettext_lazy("team members"), queryset=StaffMember.objects.none(), required=False
    )

    def __init__(self, *args: Any, order: Order, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        staff = StaffMember.objects.filter(agency_id=order.agency_id)
        self.fields["lead"].queryset = staff  # type: ignore[attr-defined]
        self.fields["members"].queryset = staff  # type: ignore[attr-defined]

    def staff_list(self) -> list[StaffMember]:
        lead = self.cleaned_data["lead"]
        return [lead, *(m for m in self.cleaned_data["members"] if m.pk != lead.pk)]


class ReplaceForm(forms.Form):
    assignment = forms.ModelChoiceField(
        queryset=Assignment.objects.none(), widget=forms.HiddenInput
    )
    staff = forms.ModelChoiceField(
        label=gettext_lazy("replacement"),
        queryset=StaffMember.objects.none(),
        error_messages={"required": gettext_lazy("Choose who takes over.")},
    )
    reason = forms.CharField(label=gettext_lazy("why the staff member is replaced"), max_length=255)
    customer_agreed = forms.BooleanField(
        label=gettext_lazy("The customer already agreed on the phone"), required=False
    )

    def __init__(self, *args: Any, order: Order, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignment"].queryset = order.assignments.all()  # type: ignore[attr-defined]
        self.fields["staff"].queryset = StaffMember.objects.filter(  # type: ignore[attr-defined]
            agency_id=order.agency_id
        )


class ReleaseForm(forms.Form):
    assignment = forms.ModelChoiceField(
        queryset=Assignment.objects.none(), widget=forms.HiddenInput
    )
    reason = forms.CharField(label=gettext_lazy("why"), max_length=255)

    def __init__(self, *args: Any, order: Order, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignment"].queryset = order.assignments.all()  # type: ignore[attr-defined]


class PhoneAnswerForm(forms.Form):
    """What the customer said on the phone about the proposed staff."""

    note = forms.CharField(label=gettext_lazy("note"), max_length=255, required=False)


class OrderStaffView(TenantObjectMixin, DetailView):
    """The ranked candidates of an order, with reasons; propose, or pick a replacement."""

    area = Area.ORDERS
    model = Order
    template_name = "orders/matching.html"
    context_object_name = "order"

    def get_queryset(self) -> QuerySet[Order]:
        return orders_to_match(agency=self.agency)

    def replacing(self) -> Assignment | None:
        """The confirmed assignment being replaced (`?replace=<id>`), if any."""
        raw = self.request.GET.get("replace") or self.request.POST.get("assignment") or ""
        if not raw.isdigit():
            return None
        return (
            self.object.assignments.filter(pk=int(raw), status=AssignmentStatus.CONFIRMED)
            .select_related("staff")
            .first()
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        order: Order = self.object
        replacing = self.replacing()
        starts_at = max(timezone.now(), order.starts_at) if replacing else None
        query = self.request.GET.get("q", "")
        kwargs.setdefault("propose_form", ProposeForm(order=order))
        kwargs.setdefault(
            "replace_form",
            ReplaceForm(order=order, initial={"assignment": replacing.pk if replacing else None}),
        )
        return super().get_context_data(
            candidates=rank_candidates(order=order, starts_at=starts_at),
            replacing=replacing,
            why_query=query,
            why_results=why_not(order=order, name=query) if query else None,
            customer_link=self.request.session.pop(f"order_link_{order.pk}", None),
            **assignments_of(order),
            **kwargs,
        )


class OrderStaffWhyView(TenantObjectMixin, View):
    """HTMX: "why not?" — staff found by name, each with the hard rules they fail."""

    area = Area.ORDERS
    model = Order

    def get_queryset(self) -> QuerySet[Order]:
        return orders_to_match(agency=self.agency)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        order = self.get_object()
        query = request.GET.get("q", "")
        if not request.htmx:  # type: ignore[attr-defined]
            # Without JavaScript the matching page shows the answer itself.
            return redirect(f"{reverse('order_staff', args=[order.pk])}?{urlencode({'q': query})}")
        results = why_not(order=order, name=query) if query.strip() else None
        return render(
            request,
            "orders/_why_not.html",
            {"order": order, "why_query": query, "why_results": results},
        )


class OrderStaffFormView(OrderStaffView):
    """A form of the staffing page, posted to its own URL: `act` runs once the form is valid,
    then its message, and on to the page `then`.

    Unlike the action base (agency.action_views), a refusal (wrong status, staff
    already booked) goes on the form, on the staffing page shown again as it was
    (200): the dispatcher picks someone else from the same candidates.
    """

    http_method_names = ["post"]
    form_class: ClassVar[type[ProposeForm] | type[ReplaceForm]]
    #: The name the page gives this form.
    form_name: ClassVar[str]
    #: Where a success goes: a URL name taking the order's `pk`.
    then: ClassVar[str]

    def act(self, order: Order, form: Any) -> str:
        """Do it; return the success message."""
        raise NotImplementedError

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        order = self.object
        form = self.form_class(request.POST, order=order)
        if form.is_valid():
            try:
                done = self.act(order, form)
            except StateConflict as conflict:
                form.add_error(None, str(conflict))
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(request, done)
                return redirect(self.then, pk=order.pk)
        return self.render_to_response(self.get_context_data(**{self.form_name: form}))


class OrderProposeView(OrderStaffFormView):
    """Propose the chosen lead (and team); a refusal re-renders the page with the reasons."""

    form_class = ProposeForm
    form_name = "propose_form"
    then = "order_staff"

    def act(self, order: Order, form: ProposeForm) -> str:
        proposed = services.assignment_propose(
            order=order, staff_list=form.staff_list(), actor=self.actor
        )
        return _(
            "Proposed %(names)s. Send the staff card to the customer, or record "
            "their answer on the phone."
        ) % {"names": "、".join(a.staff.name for a in proposed)}


class OrderReplaceView(OrderStaffFormView):
    """换人: the chosen replacement takes over; a refusal re-renders the replacement page."""

    form_class = ReplaceForm
    form_name = "replace_form"
    then = "order_detail"

    def act(self, order: Order, form: ReplaceForm) -> str:
        new = services.assignment_replace(
            order=order,
            assignment=form.cleaned_data["assignment"],
            staff=form.cleaned_data["staff"],
            reason=form.cleaned_data["reason"],
            customer_agreed=form.cleaned_data["customer_agreed"],
            actor=self.actor,
        )
        if new.status == AssignmentStatus.CONFIRMED:
            return _("%(name)s takes over.") % {"name": new.staff.name}
        return _("%(name)s is proposed: send the staff card or record the answer.") % {
            "name": new.staff.name
        }


class AssignmentActionView(QuickActionMixin, TenantObjectMixin, View):
    """One service call, a message, and back to the page it came from (the order's, or the
    board's), else the order page."""

    area = Area.ORDERS
    model = Order
    page_name = "order_detail"

    def get_queryset(self) -> QuerySet[Order]:
        return orders_to_match(agency=self.agency)


class StaffCardLinkView(AssignmentActionView):
    """Text the customer the staff card link; it is also shown to copy into WeChat."""

    def act(self, order: Order, form: None) -> str:
        url = links.link_url(self.request, order=order, purpose=SignaturePurpose.CONFIRM_STAFF)
        services.assignment_send_staff_card(order=order, actor=self.actor, url=url)
        self.request.session[f"order_link_{order.pk}"] = url
        return _("The staff card was sent to the customer by SMS.")


class ConfirmByPhoneView(AssignmentActionView):
    form_class = PhoneAnswerForm

    def act(self, order: Order, form: PhoneAnswerForm) -> str:
        note = form.cleaned_data["note"]
        services.assignment_confirm(
            order=order, via=services.VIA_PHONE, actor=self.actor, note=note
        )
        return _("Recorded: the customer confirmed the staff on the phone.")


class DeclineByPhoneView(AssignmentActionView):
    form_class = PhoneAnswerForm

    def act(self, order: Order, form: PhoneAnswerForm) -> str:
        services.assignment_decline(order=order, actor=self.actor, reason=form.cleaned_data["note"])
        return _("Recorded: the customer declined. Propose someone else.")


class ReleaseView(AssignmentActionView):
    form_class = ReleaseForm

    def form_kwargs(self) -> dict[str, Any]:
        return {"order": self.object}

    def act(self, order: Order, form: ReleaseForm) -> str:
        data = form.cleaned_data
        released = services.assignment_release(
            order=order, assignment=data["assignment"], reason=data["reason"], actor=self.actor
        )
        return _("%(name)s is released.") % {"name": released.staff.name}
