"""The customer's links about the service itself: accept it (验收), or answer a change.

The acceptance link names its round and the change link its change request:
once answered, the link is spent and the page says so (the services refuse).
"""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from agency.errors import StateConflict
from orders.link_pages import CustomerLinkBase, refusal
from orders.models import (
    ChangeRequest,
    ChangeStatus,
    EntryKind,
    ServiceLogEntry,
    SignedVia,
    Stage,
)
from orders.service import selectors
from orders.service.forms import CustomerVerdictForm
from orders.service.services.acceptance import CustomerVerdict, acceptance_sign_customer
from orders.service.services.changes import change_request_approve, change_request_decline

APPROVE = "approve"
DECLINE = "decline"


def photos_and_notes(log: list[ServiceLogEntry]) -> dict[str, list[ServiceLogEntry]]:
    """The staff's photos and notes of the job, which the customer checks before signing."""
    return {
        "photos": [e for e in log if e.kind == EntryKind.PHOTO and e.photo],
        "notes": [e for e in log if e.kind == EntryKind.NOTE and e.text],
    }


def service_done(order: Any) -> dict[str, Any]:
    """What the customer is shown of the job before signing: tasks, photos, changes, rounds."""
    log = list(selectors.effective_log(order))
    return {
        "tasks_done": [e.item for e in log if e.kind == EntryKind.TASK],
        "tasks_open": [
            task
            for task in order.needs_form.checklist
            if task not in {e.item for e in log if e.kind == EntryKind.TASK}
        ],
        **photos_and_notes(log),
        "approved_changes": list(
            selectors.change_requests_for(agency=order.agency).filter(
                order=order, status=ChangeStatus.APPROVED
            )
        ),
        "rounds": list(selectors.acceptance_history(order)),
    }


class AcceptanceLinkView(CustomerLinkBase):
    """The customer checks what was done and passes or fails it, with a score."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self._page(form=CustomerVerdictForm(order=self.order))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = CustomerVerdictForm(request.POST, order=self.order)
        if not form.is_valid():
            return self._page(form=form, status=400)
        data = form.cleaned_data
        try:
            acceptance_sign_customer(
                order=self.order,
                actor=self.customer(),
                verdict=CustomerVerdict.signed(
                    data, via=SignedVia.LINK, user_agent=request.headers.get("User-Agent", "")
                ),
                passed=form.passed,
                failures=form.failures(),
                round_number=self.claim.ref,
            )
        except (ValidationError, StateConflict) as error:
            return self._page(form=form, problem=refusal(error), status=409)
        return self._page(form=None, done=True, passed=form.passed)

    def _page(self, *, status: int = 200, **context: Any) -> HttpResponse:
        waiting = selectors.open_round(self.order)
        can_sign = (
            waiting is not None
            and waiting.number == self.claim.ref
            and waiting.next_stage == Stage.CUSTOMER
        )
        return render(
            self.request,
            "orders/customer_acceptance.html",
            {"order": self.order, "can_sign": can_sign, **service_done(self.order), **context},
            status=status,
        )


class ChangeAnswerForm(forms.Form):
    decision = forms.ChoiceField(choices=[(APPROVE, APPROVE), (DECLINE, DECLINE)])
    signed_name = forms.CharField(label=_("your full name"), max_length=100, required=False)
    reason = forms.CharField(
        label=_("if you decline: why?"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == APPROVE and not data.get("signed_name", "").strip():
            self.add_error("signed_name", _("Type your full name to sign."))
        return data


class ChangeLinkView(CustomerLinkBase):
    """The customer approves (signing) or declines one change to the service."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self._page(form=ChangeAnswerForm())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = ChangeAnswerForm(request.POST)
        change = self._change()
        if change is None or not form.is_valid():
            return self._page(form=form, status=400)
        data = form.cleaned_data
        try:
            if data["decision"] == APPROVE:
                change_request_approve(
                    change=change,
                    actor=self.customer(),
                    via=SignedVia.LINK,
                    signed_name=data["signed_name"],
                    user_agent=request.headers.get("User-Agent", ""),
                )
            else:
                change_request_decline(
                    change=change, actor=self.customer(), via=SignedVia.LINK, reason=data["reason"]
                )
        except (ValidationError, StateConflict) as error:
            return self._page(form=form, problem=refusal(error), status=409)
        return self._page(form=None, done=True, approved=data["decision"] == APPROVE)

    def _change(self) -> ChangeRequest | None:
        return (
            selectors.change_requests_for(agency=self.order.agency)
            .filter(order=self.order, pk=self.claim.ref or 0)
            .first()
        )

    def _page(self, *, status: int = 200, **context: Any) -> HttpResponse:
        change = self._change()
        return render(
            self.request,
            "orders/customer_change.html",
            {
                "order": self.order,
                "change": change,
                "can_answer": change is not None
                and change.status == ChangeStatus.AWAITING_CUSTOMER,
                **context,
            },
            status=status,
        )
