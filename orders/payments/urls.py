from django.urls import path

from orders.payments.views import accounts, field, notify, office

urlpatterns = [
    # The providers post here (README, "Online payment"): the agency by its short name.
    path(
        "pay/notify/<str:provider>/<slug:agency_slug>/",
        notify.payment_notify,
        name="payment_notify",
    ),
    path(
        "billing/invoices/<int:pk>/pay-code/",
        office.InvoicePayCodeView.as_view(),
        name="invoice_pay_code",
    ),
    path(
        "billing/online/refused/",
        office.RefusedNotificationsView.as_view(),
        name="payment_refused",
    ),
    path(
        "billing/online/reconciliation/",
        office.ReconciliationView.as_view(),
        name="payment_reconciliation",
    ),
    path(
        "settings/payments/wechat/",
        accounts.ProviderAccountView.as_view(provider="wechat"),
        name="payment_account_wechat",
    ),
    path(
        "settings/payments/alipay/",
        accounts.ProviderAccountView.as_view(provider="alipay"),
        name="payment_account_alipay",
    ),
    path("my/jobs/<int:pk>/pay-code/", field.MyJobPayCodeView.as_view(), name="my_job_pay_code"),
]
