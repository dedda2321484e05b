"""The office's acceptance pages (验收): what waits for me, an order's record, rework.

Supervisors sign stages 2 and 3 here; the office verifies the customer's stage
on their behalf when the customer cannot sign, or texts them the link; rework
is handed to the right person. Rules live in orders.service.services.acceptance.
"""

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponseBase
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, TemplateView

from agency.action_views import ActionMixin
from agency.documents import document_response
from agency.permissions import Area, can_access
from agency.tenant_views import TenantMixin, TenantObjectMixin
from orders import links
from orders import selectors as order_selectors
from orders.models import (
    ChangeStatus,
    FailedItem,
    Order,
    RoundOutcome,
    SignaturePurpose,
    SignedVia,
    Stage,
)
from orders.service import selectors
from orders.service.documents import acceptance_record_document, with_record_marks
from orders.service.forms import ChangeForm, VerdictForm
from orders.service.services.acceptance import (
    CustomerVerdict,
    acceptance_send_link,
    acceptance_sign_customer,
    acceptance_sign_supervisor,
    rework_reassign,
    rework_submit,
)
from orders.service.services.changes import change_request_send_link, change_request_withdraw
from orders.staffing import selectors as staffing_selectors
from staff.models import StaffMember


class AcceptanceQueueView(TenantMixin, TemplateView):
    """Open rounds by the stage they wait for, and the rework still to do."""

    area = Area.ORDERS
    template_name = "orders/acceptance_queue.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        try:
            stage = Stage(int(self.request.GET["stage"]))
        except (KeyError, ValueError):
            # The page opens on the member's own work; everyone may look at every stage.
            stage = Stage(
                selectors.my_acceptance_stage(
                    agency=self.agency,
                    user=self.user,
                    stages=(Stage.TEAM_SUPERVISOR, Stage.OFFICE_SUPERVISOR)
                    if can_access(self.membership.role, Area.SIGN_OFFS)
                    else (Stage.CUSTOMER,),
                )
            )
        counts = dict(
            selectors.rounds_waiting(agency=self.agency)
            .order_by()
            .values_list("next_stage")
            .annotate(n=Count("id"))
        )
        return super().get_context_data(
            stage=stage,
            stages=[(s, s.label, counts.get(s.value, 0)) for s in Stage],
            rounds=selectors.rounds_waiting(agency=self.agency, stage=stage)[:200],
            rework=selectors.rework_due(agency=self.agency)[:200],
            **kwargs,
        )


class SupervisorSignForm(VerdictForm):
    stage = forms.TypedChoiceField(
        choices=[(Stage.TEAM_SUPERVISOR, ""), (Stage.OFFICE_SUPERVISOR, "")],
        coerce=int,
        widget=forms.HiddenInput,
    )


class OfficeVerifyForm(VerdictForm):
    """The customer's stage verified by the office: no score, no comment (the customer's)."""

    signed_name = forms.CharField(label=gettext_lazy("customer's full name"), max_length=100)
    verification_reason = forms.CharField(
        label=gettext_lazy("why the office signs, and how the customer agreed"), max_length=255
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["comment"]


class ReassignForm(forms.Form):
    item = forms.ModelChoiceField(queryset=FailedItem.objects.none())
    responsible = forms.ModelChoiceField(
        label=gettext_lazy("responsible"), queryset=StaffMember.objects.none()
    )

    def __init__(self, *args: Any, order: Order, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = FailedItem.objects.filter(  # type: ignore[attr-defined]
            agency_id=order.agency_id, order=order
        )
        self.fields["responsible"].queryset = staffing_selectors.team_members(order)  # type: ignore[attr-defined]


class OrderAcceptanceView(TenantObjectMixin, DetailView):
    """An order's acceptance record: every round, the service log, changes, and what to sign."""

    area = Area.ORDERS
    model = Order
    template_name = "orders/acceptance.html"
    context_object_name = "order"

    def get_queryset(self) -> QuerySet[Order]:
        return order_selectors.orders_for(agency=self.agency).select_related("needs_form")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        order: Order = self.object
        rounds = list(selectors.acceptance_history(order))
        waiting = next((r for r in rounds if r.outcome == RoundOutcome.OPEN), None)
        role = self.membership.role
        kwargs.setdefault("sign_form", SupervisorSignForm(order=order))
        kwargs.setdefault("verify_form", OfficeVerifyForm(order=order))
        return super().get_context_data(
            rounds=rounds,
            waiting=waiting,
            can_sign_supervisor=can_access(role, Area.SIGN_OFFS)
            and waiting is not None
            and waiting.next_stage in (Stage.TEAM_SUPERVISOR, Stage.OFFICE_SUPERVISOR),
            can_verify=can_access(role, Area.ORDERS)
            and waiting is not None
            and waiting.next_stage == Stage.CUSTOMER,
            log=list(selectors.service_log(order)),
            changes=list(selectors.change_requests_for(agency=self.agency).filter(order=order)),
            rework=[
                item
                for r in rounds
                for s in r.signoffs.all()
                for item in s.failed_items.all()
                if item.reworked_at is None
            ],
            team=list(staffing_selectors.team_members(order)),
            customer_link=self.request.session.pop(f"acceptance_link_{order.pk}", None),
            **kwargs,
        )


class AcceptanceActionView(ActionMixin, OrderAcceptanceView):
    page_name = "order_acceptance"

    def form_kwargs(self) -> dict[str, Any]:
        return {"order": self.object}


class AcceptanceSignView(AcceptanceActionView):
    form_class = SupervisorSignForm
    form_context_name = "sign_form"

    def act(self, order: Order, form: SupervisorSignForm) -> str:
        stage = form.cleaned_data["stage"]
        acceptance_sign_supervisor(
            order=order,
            stage=stage,
            actor=self.actor,
            passed=form.passed,
            failures=form.failures(),
            comment=form.cleaned_data["comment"],
        )
        return _signed_message(stage, passed=form.passed)


class AcceptanceVerifyView(AcceptanceActionView):
    form_class = OfficeVerifyForm
    form_context_name = "verify_form"

    def act(self, order: Order, form: OfficeVerifyForm) -> str:
        acceptance_sign_customer(
            order=order,
            actor=self.actor,
            verdict=CustomerVerdict(
                signed_name=form.cleaned_data["signed_name"],
                via=SignedVia.OFFICE,
                verification_reason=form.cleaned_data["verification_reason"],
                user_agent=self.request.headers.get("User-Agent", ""),
            ),
            passed=form.passed,
            failures=form.failures(),
        )
        return _signed_message(Stage.CUSTOMER, passed=form.passed)


class AcceptanceLinkSendView(AcceptanceActionView):
    def act(self, order: Order, form: None) -> str:
        waiting = selectors.open_round(order)
        url = links.link_url(
            self.request,
            order=order,
            purpose=SignaturePurpose.ACCEPT_SERVICE,
            ref=waiting.number if waiting else None,
        )
        acceptance_send_link(order=order, actor=self.actor, url=url)
        self.request.session[f"acceptance_link_{order.pk}"] = url
        return _("The acceptance link was sent to the customer by SMS.")


class ReworkReassignView(AcceptanceActionView):
    form_class = ReassignForm

    def act(self, order: Order, form: ReassignForm) -> str:
        item = rework_reassign(
            item=form.cleaned_data["item"],
            staff=form.cleaned_data["responsible"],
            actor=self.actor,
        )
        return _("%(item)s: now %(name)s redoes it.") % {
            "item": item.description,
            "name": item.responsible.name,
        }


class ReworkSubmitView(AcceptanceActionView):
    def act(self, order: Order, form: None) -> str:
        round_ = rework_submit(order=order, actor=self.actor)
        return _("Rework done: acceptance round %(number)s begins.") % {"number": round_.number}


class ChangeLinkSendView(AcceptanceActionView):
    form_class = ChangeForm

    def act(self, order: Order, form: ChangeForm) -> str:
        change = form.cleaned_data["change"]
        url = links.link_url(
            self.request, order=order, purpose=SignaturePurpose.APPROVE_CHANGE, ref=change.pk
        )
        change_request_send_link(change=change, actor=self.actor, url=url)
        self.request.session[f"acceptance_link_{order.pk}"] = url
        return _("The change was sent to the customer by SMS.")


class ChangeWithdrawView(AcceptanceActionView):
    form_class = ChangeForm

    def act(self, order: Order, form: ChangeForm) -> str:
        change_request_withdraw(
            change=form.cleaned_data["change"], actor=self.actor, reason=form.cleaned_data["reason"]
        )
        return str(ChangeStatus.WITHDRAWN.label)


def _signed_message(stage: int, *, passed: bool) -> str:
    if passed:
        return _("%(stage)s: passed and signed.") % {"stage": Stage(stage).label}
    return _("%(stage)s: failed; the order goes to rework.") % {"stage": Stage(stage).label}


class AcceptanceRecordPdfView(TenantObjectMixin, View):
    """The acceptance record as a PDF, every round, for managers (and supervisors).

    In the page's language, or another one with `?lang=zh-hans` / `?lang=en`. Built by a
    worker, then served from storage (agency.documents, orders.service.documents).
    """

    area = Area.REPORTS
    model = Order

    def get_queryset(self) -> QuerySet[Order]:
        return with_record_marks(order_selectors.orders_for(agency=self.agency))

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        languages = dict(settings.LANGUAGES)
        language = request.GET.get("lang", "")
        if language not in languages:
            language = request.LANGUAGE_CODE
        key = acceptance_record_document(self.object, agency=self.agency, language=language)
        return document_response(request, key=key)
