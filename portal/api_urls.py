"""/api/portal/<agency_slug>/: the portal's API (config/api_urls.py mounts it)."""

from django.urls import path

from portal import api, api_actions, api_contracts, api_money

app_name = "portal_api"

urlpatterns = [
    path("auth/code/", api.CodeRequestView.as_view(), name="code"),
    path("auth/verify/", api.CodeVerifyView.as_view(), name="verify"),
    path("auth/sign-out/", api.SignOutView.as_view(), name="sign_out"),
    path("me/", api.MeView.as_view(), name="me"),
    path("orders/", api.OrderViewSet.as_view({"get": "list"}), name="order-list"),
    path("orders/<int:pk>/", api.OrderViewSet.as_view({"get": "retrieve"}), name="order-detail"),
    path("invoices/", api.InvoiceViewSet.as_view({"get": "list"}), name="invoice-list"),
    path(
        "booking-requests/",
        api_actions.BookingRequestViewSet.as_view({"get": "list", "post": "create"}),
        name="booking-request-list",
    ),
    path("orders/<int:pk>/book-again/", api_actions.RebookView.as_view(), name="order-rebook"),
    path("orders/<int:pk>/move/", api_actions.RescheduleView.as_view(), name="order-reschedule"),
    path("orders/<int:pk>/cancel/", api_actions.CancelView.as_view(), name="order-cancel"),
    path("orders/<int:pk>/feedback/", api_actions.FeedbackView.as_view(), name="order-feedback"),
    path(
        "complaints/",
        api_actions.ComplaintViewSet.as_view({"get": "list", "post": "create"}),
        name="complaint-list",
    ),
    path(
        "callbacks/",
        api_actions.CallbackViewSet.as_view({"get": "list", "post": "create"}),
        name="callback-list",
    ),
    path("preferences/", api_actions.PreferencesView.as_view(), name="preferences"),
    path(
        "invoices/<int:pk>/",
        api_money.InvoiceMoneyViewSet.as_view({"get": "retrieve"}),
        name="invoice-detail",
    ),
    path(
        "invoices/<int:pk>/pay/",
        api_money.InvoiceMoneyViewSet.as_view({"post": "pay"}),
        name="invoice-pay",
    ),
    path(
        "invoices/<int:pk>/card-pay/",
        api_money.InvoiceMoneyViewSet.as_view({"post": "card_pay"}),
        name="invoice-card-pay",
    ),
    path("cards/", api_money.CardViewSet.as_view({"get": "list"}), name="card-list"),
    path(
        "contracts/",
        api_contracts.ContractViewSet.as_view({"get": "list"}),
        name="contract-list",
    ),
    path(
        "cards/<int:pk>/ledger/",
        api_money.CardViewSet.as_view({"get": "ledger"}),
        name="card-ledger",
    ),
]
