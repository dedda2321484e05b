"""Forms of the prepaid pages; each parses input for one service, which validates again."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from agency.idempotency import submission_key_field
from agency.models import Agency
from orders.models import OFFICE_METHODS, PrepaidCard, PrepaidProduct, ServiceType


class ProductForm(forms.ModelForm):
    """A manager's product: the fields of its kind are required, the others ignored."""

    class Meta:
        model = PrepaidProduct
        fields = [
            "kind",
            "name_zh",
            "name_en",
            "price",
            "credit",
            "service_type",
            "visits",
            "hours_per_visit",
            "validity_days",
            "refund_fee_percent",
            "is_active",
        ]
        help_texts = {
            "credit": _("Stored value: what the card holds, e.g. 2200.00 for 2000.00 paid."),
            "visits": _("Package: the number of visits, e.g. 10."),
            "hours_per_visit": _("Package: the hours of one visit, e.g. 3."),
            "refund_fee_percent": _("Kept from the unused balance when it is paid back."),
        }

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.agency = agency
        self.fields["service_type"].queryset = ServiceType.objects.filter(  # type: ignore[attr-defined]
            agency=agency, is_active=True
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        package = ["service_type", "visits", "hours_per_visit"]
        needed, ignored = (
            (package, ["credit"]) if data.get("kind") == "package" else (["credit"], package)
        )
        for name in ignored:
            data[name] = None
        for name in needed:
            if data.get(name) in (None, ""):
                self.add_error(name, _("This field is required for this kind of product."))
        return data


class SellForm(forms.Form):
    """A card sold at the desk: the product, and the money taken for it."""

    product = forms.ModelChoiceField(label=_("product"), queryset=PrepaidProduct.objects.none())
    method = forms.ChoiceField(label=_("method"), choices=OFFICE_METHODS)
    reference = forms.CharField(
        label=_("reference"),
        max_length=100,
        required=False,
        help_text=_("Transaction number of the transfer, WeChat Pay or Alipay."),
    )
    submission_key = submission_key_field()

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = PrepaidProduct.objects.filter(  # type: ignore[attr-defined]
            agency=agency, is_active=True
        )


class CardPayForm(forms.Form):
    """Pay the invoice from one of its customer's cards; no amount pays all it can."""

    card = forms.ModelChoiceField(label=_("card"), queryset=PrepaidCard.objects.none())
    amount = forms.DecimalField(
        label=_("amount"), max_digits=12, decimal_places=2, required=False, min_value=0
    )

    def __init__(self, *args: Any, agency: Agency, customer_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["card"].queryset = PrepaidCard.objects.filter(  # type: ignore[attr-defined]
            agency=agency, customer_id=customer_id
        )


class CardRefundForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=300)
    submission_key = submission_key_field()


class PayBackForm(forms.Form):
    method = forms.ChoiceField(label=_("method"), choices=OFFICE_METHODS)
    reference = forms.CharField(label=_("reference"), max_length=100, required=False)
