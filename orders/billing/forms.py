"""Forms of the billing pages. Each parses input for one service call in
orders.billing.services, which validates again inside its transaction."""

from decimal import Decimal
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from agency.bounds import PLAUSIBLE_DATE
from agency.idempotency import submission_key_field
from orders.models import OFFICE_METHODS


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class BillingForm(forms.Form):
    """Several of these share the invoice page: each has its own element ids."""

    id_prefix: ClassVar[str]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}-%s")
        super().__init__(*args, **kwargs)

    def add_error(self, field: str | None, error: Any) -> None:
        """A service's error naming a field this form lacks (a constraint, another row) shows
        above the form, instead of Django's ValueError for an unknown field."""
        if field is None and isinstance(error, ValidationError) and hasattr(error, "error_dict"):
            known = {
                name: errors for name, errors in error.error_dict.items() if name in self.fields
            }
            for name, errors in error.error_dict.items():
                if name not in known:
                    super().add_error(None, errors)
            if known:
                super().add_error(None, ValidationError(known))
            return
        super().add_error(field, error)


class AdjustForm(BillingForm):
    """A manager's manual adjustment of a draft: down (negative) or up, and why."""

    id_prefix = "adjust"
    # It becomes an invoice line's unit price, which holds ten digits.
    amount = forms.DecimalField(
        label=_("amount"),
        max_digits=10,
        decimal_places=2,
        help_text=_("Negative to lower the invoice, e.g. -20.00."),
    )
    reason = forms.CharField(label=_("reason"), max_length=300)

    def clean_amount(self) -> Decimal:
        amount: Decimal = self.cleaned_data["amount"]
        if amount == 0:
            raise forms.ValidationError(_("An adjustment is not zero."))
        return amount


class PaymentForm(BillingForm):
    """A payment received (recorded here, not processed); its receipt is issued with it."""

    id_prefix = "payment"
    amount = forms.DecimalField(
        label=_("amount"), max_digits=12, decimal_places=2, min_value=Decimal("0.01")
    )
    method = forms.ChoiceField(label=_("method"), choices=OFFICE_METHODS)
    received_at = forms.DateTimeField(
        label=_("received at"),
        required=False,
        widget=DateTimeInput(),
        validators=PLAUSIBLE_DATE,
        help_text=_("Leave empty for now."),
    )
    reference = forms.CharField(
        label=_("reference"),
        max_length=100,
        required=False,
        help_text=_("Transaction number of the transfer, WeChat Pay or Alipay."),
    )
    submission_key = submission_key_field()


class CreditNoteForm(BillingForm):
    """A credit note (红字发票) for all that is left of the invoice, or for an amount."""

    id_prefix = "credit"
    reason = forms.CharField(label=_("reason"), max_length=500)
    amount = forms.DecimalField(
        label=_("amount"),
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        required=False,
        help_text=_("Leave empty to credit the whole invoice."),
    )
    submission_key = submission_key_field()


class RefundForm(BillingForm):
    """Money to pay back to the customer; a manager approves it first."""

    id_prefix = "refund"
    amount = forms.DecimalField(
        label=_("amount"), max_digits=12, decimal_places=2, min_value=Decimal("0.01")
    )
    reason = forms.CharField(label=_("reason"), max_length=300)
    submission_key = submission_key_field()


class PayBackForm(BillingForm):
    """How an approved refund was paid back."""

    id_prefix = "payback"
    method = forms.ChoiceField(label=_("method"), choices=OFFICE_METHODS)
    reference = forms.CharField(label=_("reference"), max_length=100, required=False)

    def __init__(self, *args: Any, refund_id: int | None = None, **kwargs: Any) -> None:
        if refund_id is not None:
            kwargs.setdefault("auto_id", f"payback-{refund_id}-%s")
        super().__init__(*args, **kwargs)
