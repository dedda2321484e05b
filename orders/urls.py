from django.urls import path

from agency.customer_links import customer_link_path
from orders.views import (
    acceptance,
    assignment,
    board,
    catalogue,
    customer_invoice_link,
    customer_link,
    customers,
    detail,
    intake,
    queues,
)

urlpatterns = [
    path("orders/", board.OrderBoardView.as_view(), name="order_board"),
    path("orders/new/", intake.IntakeView.as_view(), name="order_new"),
    path("orders/new/customer/", intake.CustomerLookupView.as_view(), name="order_customer_lookup"),
    path("orders/new/checklist/", intake.ChecklistView.as_view(), name="order_checklist"),
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
    # Staffing an order: candidates, "why not?", proposal, the customer's answer, 换人.
    path("orders/<int:pk>/staff/", assignment.OrderStaffView.as_view(), name="order_staff"),
    path(
        "orders/<int:pk>/staff/why/", assignment.OrderStaffWhyView.as_view(), name="order_staff_why"
    ),
    path(
        "orders/<int:pk>/staff/propose/",
        assignment.OrderProposeView.as_view(),
        name="order_staff_propose",
    ),
    path(
        "orders/<int:pk>/staff/card/",
        assignment.StaffCardLinkView.as_view(),
        name="order_staff_card",
    ),
    path(
        "orders/<int:pk>/staff/confirm/",
        assignment.ConfirmByPhoneView.as_view(),
        name="order_staff_confirm",
    ),
    path(
        "orders/<int:pk>/staff/decline/",
        assignment.DeclineByPhoneView.as_view(),
        name="order_staff_decline",
    ),
    path(
        "orders/<int:pk>/staff/replace/",
        assignment.OrderReplaceView.as_view(),
        name="order_staff_replace",
    ),
    path(
        "orders/<int:pk>/staff/release/",
        assignment.ReleaseView.as_view(),
        name="order_staff_release",
    ),
    path("orders/acceptance/", acceptance.AcceptanceQueueView.as_view(), name="acceptance_queue"),
    path(
        "orders/<int:pk>/acceptance/",
        acceptance.OrderAcceptanceView.as_view(),
        name="order_acceptance",
    ),
    path(
        "orders/<int:pk>/acceptance/sign/",
        acceptance.AcceptanceSignView.as_view(),
        name="order_acceptance_sign",
    ),
    path(
        "orders/<int:pk>/acceptance/verify/",
        acceptance.AcceptanceVerifyView.as_view(),
        name="order_acceptance_verify",
    ),
    path(
        "orders/<int:pk>/acceptance/link/",
        acceptance.AcceptanceLinkSendView.as_view(),
        name="order_acceptance_link",
    ),
    path(
        "orders/<int:pk>/acceptance/record.pdf",
        acceptance.AcceptanceRecordPdfView.as_view(),
        name="order_acceptance_pdf",
    ),
    path(
        "orders/<int:pk>/rework/reassign/",
        acceptance.ReworkReassignView.as_view(),
        name="order_rework_reassign",
    ),
    path(
        "orders/<int:pk>/rework/done/",
        acceptance.ReworkSubmitView.as_view(),
        name="order_rework_submit",
    ),
    path(
        "orders/<int:pk>/changes/link/",
        acceptance.ChangeLinkSendView.as_view(),
        name="order_change_link",
    ),
    path(
        "orders/<int:pk>/changes/withdraw/",
        acceptance.ChangeWithdrawView.as_view(),
        name="order_change_withdraw",
    ),
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
    # The customer's signed link: short, since it is sent by SMS.
    customer_link_path("c/<str:token>/", customer_link.customer_link, name="customer_link"),
    # Its invoice link's downloads carry the same token.
    customer_link_path(
        "c/<str:token>/invoice.pdf",
        customer_invoice_link.customer_link_invoice_pdf,
        name="customer_link_invoice_pdf",
    ),
    customer_link_path(
        "c/<str:token>/receipts/<int:payment_id>.pdf",
        customer_invoice_link.customer_link_receipt_pdf,
        name="customer_link_receipt_pdf",
    ),
]
