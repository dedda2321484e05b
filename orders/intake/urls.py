"""Intake's pages: the board, the needs form, the order page and its actions, customers,
the catalogue, callbacks and approvals."""

from django.urls import path

from orders.intake.views import (
    board,
    booking_requests,
    catalogue,
    customers,
    detail,
    districts,
    needs_form,
    queues,
)

urlpatterns = [
    path("orders/", board.OrderBoardView.as_view(), name="order_board"),
    path("orders/new/", needs_form.IntakeView.as_view(), name="order_new"),
    path(
        "orders/new/customer/",
        needs_form.CustomerLookupView.as_view(),
        name="order_customer_lookup",
    ),
    path("orders/new/checklist/", needs_form.ChecklistView.as_view(), name="order_checklist"),
    path(
        "orders/requests/",
        booking_requests.BookingRequestListView.as_view(),
        name="booking_request_list",
    ),
    path(
        "orders/requests/<int:pk>/",
        booking_requests.BookingRequestDetailView.as_view(),
        name="booking_request_detail",
    ),
    path(
        "orders/requests/<int:pk>/decline/",
        booking_requests.BookingRequestDeclineView.as_view(),
        name="booking_request_decline",
    ),
    path("orders/<int:pk>/", detail.OrderDetailView.as_view(), name="order_detail"),
    path("orders/<int:pk>/quote/", detail.OrderQuoteView.as_view(), name="order_quote"),
    path("orders/<int:pk>/confirm/", detail.OrderConfirmView.as_view(), name="order_confirm"),
    path(
        "orders/<int:pk>/confirmation-link/",
        detail.OrderConfirmationLinkView.as_view(),
        name="order_confirmation_link",
    ),
    path(
        "orders/<int:pk>/cancellation-link/",
        detail.OrderCancellationLinkView.as_view(),
        name="order_cancellation_link",
    ),
    path("orders/<int:pk>/cancel/", detail.OrderCancelView.as_view(), name="order_cancel"),
    path("customers/", customers.CustomerListView.as_view(), name="customer_list"),
    path("customers/<int:pk>/", customers.CustomerDetailView.as_view(), name="customer_detail"),
    path("customers/<int:pk>/edit/", customers.CustomerEditView.as_view(), name="customer_edit"),
    path(
        "customers/<int:pk>/reveal/", customers.CustomerRevealView.as_view(), name="customer_reveal"
    ),
    path("services/", catalogue.CatalogueView.as_view(), name="catalogue"),
    path("services/new/", catalogue.ServiceTypeCreateView.as_view(), name="service_type_create"),
    path(
        "services/<int:pk>/edit/", catalogue.ServiceTypeEditView.as_view(), name="service_type_edit"
    ),
    path("services/<int:pk>/price/", catalogue.PriceSetView.as_view(), name="price_set"),
    path("settings/districts/", districts.DistrictListView.as_view(), name="district_list"),
    path("settings/districts/new/", districts.DistrictCreateView.as_view(), name="district_create"),
    path(
        "settings/districts/<int:pk>/edit/",
        districts.DistrictEditView.as_view(),
        name="district_edit",
    ),
    path("callbacks/", queues.CallbackQueueView.as_view(), name="callback_queue"),
    path(
        "callbacks/<int:pk>/done/", queues.CallbackCompleteView.as_view(), name="callback_complete"
    ),
    path("approvals/", queues.ApprovalQueueView.as_view(), name="approval_queue"),
    path(
        "approvals/<int:pk>/approve/",
        queues.CancellationDecisionView.as_view(),
        name="cancellation_approve",
    ),
    path(
        "approvals/<int:pk>/reject/",
        queues.CancellationDecisionView.as_view(approve=False),
        name="cancellation_reject",
    ),
]
