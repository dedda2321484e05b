from django.urls import path

from orders.payments.views import notify

urlpatterns = [
    # The providers post here (README, "Online payment"): the agency by its short name.
    path(
        "pay/notify/<str:provider>/<slug:agency_slug>/",
        notify.payment_notify,
        name="payment_notify",
    ),
]
