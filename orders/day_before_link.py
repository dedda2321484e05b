"""The customer's day-before link: confirm tomorrow's service, or ask for a change.

Opened on a phone, in the customer's language; shows the day, time, service and the
staff's names (never a staff member's phone, DESIGN.md "Who uses it"). Once answered
the link is spent and says so.
"""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from agency.errors import StateConflict
from orders.link_pages import CustomerLinkBase, refusal
from orders.messages import job_context
from orders.models import REQUEST_MAX_CHARS, DayBeforeCheck
from orders.reminders import (
    UPCOMING,
    clean_request,
    day_before_ask_change,
    day_before_check_for,
    day_before_confirm,
)

CONFIRM = "confirm"
CHANGE = "change"


class DayBeforeForm(forms.Form):
    decision = forms.ChoiceField(choices=[(CONFIRM, CONFIRM), (CHANGE, CHANGE)])
    request_text = forms.CharField(
        label=_("what would you like to change?"),
        required=False,
        # Not `max_length`: the service says what is too long, in words the customer reads.
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": REQUEST_MAX_CHARS}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == CHANGE:
            try:
                data["request_text"] = clean_request(data.get("request_text", ""))
            except ValidationError as error:
                self.add_error(None, error)
        return data


class DayBeforeLinkView(CustomerLinkBase):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self._page(form=DayBeforeForm())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = DayBeforeForm(request.POST)
        check = self._check()
        if check is None or not form.is_valid():
            return self._page(form=form, check=check, status=400)
        try:
            if form.cleaned_data["decision"] == CONFIRM:
                day_before_confirm(check=check, actor=self.customer())
            else:
                day_before_ask_change(
                    check=check, actor=self.customer(), text=form.cleaned_data["request_text"]
                )
        except (ValidationError, StateConflict) as error:
            return self._page(form=form, check=check, problem=refusal(error), status=409)
        return self._page(form=None, check=check, done=True)

    def _check(self) -> DayBeforeCheck | None:
        return day_before_check_for(
            agency_id=self.claim.agency_id, order=self.order, ref=self.claim.ref
        )

    def _page(
        self, *, status: int = 200, check: DayBeforeCheck | None = None, **context: Any
    ) -> HttpResponse:
        check = check or self._check()
        order = self.order
        return render(
            self.request,
            "orders/customer_day_before.html",
            {
                "order": order,
                "check": check,
                "job": job_context(order)(self.request.LANGUAGE_CODE),
                "can_answer": check is not None
                and check.answered_at is None
                and order.status in UPCOMING,
                **context,
            },
            status=status,
        )
