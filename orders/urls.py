"""The orders pages: each wing's routes, and the customer's signed link, which answers
for every wing by the link's purpose (`orders.customer_link`)."""

from django.urls import include, path

from agency.customer_links import customer_link_path
from orders import customer_link

urlpatterns = [
    path("", include("orders.intake.urls")),
    path("", include("orders.staffing.urls")),
    path("", include("orders.service.urls")),
    path("", include("orders.billing.urls")),
    path("", include("orders.schedule.urls")),
    path("", include("orders.prepaid.urls")),
    path("", include("orders.payments.urls")),
    # The customer's signed link: short, since it is sent by SMS.
    customer_link_path("c/<str:token>/", customer_link.customer_link, name="customer_link"),
]
