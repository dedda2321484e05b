"""A manager enters the agency's WeChat Pay or Alipay account (secrets write-only)."""

from typing import Any

from django.contrib import messages
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import FormView

from agency.permissions import Area
from agency.tenant_views import ServiceFormMixin, TenantMixin
from orders.payments.accounts import PUBLIC_FIELDS, account_save
from orders.payments.forms import ProviderAccountForm
from orders.payments.models import Provider, ProviderAccount
from orders.payments.services import notify_url


class ProviderAccountView(TenantMixin, ServiceFormMixin, FormView):
    area = Area.SETTINGS
    template_name = "payments/account_form.html"
    form_class = ProviderAccountForm
    provider: str = Provider.WECHAT

    def get_form_kwargs(self) -> dict[str, Any]:
        account = ProviderAccount.objects.filter(agency=self.agency, provider=self.provider).first()
        return {
            **super().get_form_kwargs(),
            "instance": account or ProviderAccount(agency=self.agency, provider=self.provider),
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            provider_label=Provider(self.provider).label,
            notify_url=notify_url(agency=self.agency, provider=self.provider),
            **kwargs,
        )

    def perform(self, form: ProviderAccountForm) -> None:
        account_save(
            agency=self.agency,
            provider=self.provider,
            actor=self.actor,
            values={name: form.cleaned_data[name] for name in PUBLIC_FIELDS},
            private_key=form.cleaned_data["private_key"],
            api_key=form.cleaned_data["api_key"],
        )
        messages.success(self.request, _("Payment account saved."))

    def get_success_url(self) -> str:
        return reverse(f"payment_account_{self.provider}")
