from django.urls import path

from orders.billing import views

urlpatterns = [
    path("billing/", views.BillingListView.as_view(), name="billing_list"),
    path("billing/invoices/<int:pk>/", views.InvoiceDetailView.as_view(), name="invoice_detail"),
    path("billing/invoices/<int:pk>.pdf", views.InvoicePdfView.as_view(), name="invoice_pdf"),
    path(
        "billing/invoices/<int:pk>/issue/", views.InvoiceIssueView.as_view(), name="invoice_issue"
    ),
    path(
        "billing/invoices/<int:pk>/adjust/",
        views.InvoiceAdjustView.as_view(),
        name="invoice_adjust",
    ),
    path(
        "billing/invoices/<int:pk>/payments/",
        views.InvoicePaymentView.as_view(),
        name="invoice_payment",
    ),
    path(
        "billing/invoices/<int:pk>/credit-note/",
        views.InvoiceCreditNoteView.as_view(),
        name="invoice_credit_note",
    ),
    path(
        "billing/invoices/<int:pk>/refund/",
        views.InvoiceRefundView.as_view(),
        name="invoice_refund",
    ),
    path(
        "billing/invoices/<int:pk>/customer-link/",
        views.InvoiceCustomerLinkView.as_view(),
        name="invoice_customer_link",
    ),
    path("billing/receipts/<int:pk>.pdf", views.ReceiptPdfView.as_view(), name="receipt_pdf"),
    path("billing/refunds/", views.RefundQueueView.as_view(), name="refund_queue"),
    path(
        "billing/refunds/<int:pk>/approve/",
        views.RefundDecisionView.as_view(),
        name="refund_approve",
    ),
    path(
        "billing/refunds/<int:pk>/reject/",
        views.RefundDecisionView.as_view(approve=False),
        name="refund_reject",
    ),
    path(
        "billing/refunds/<int:pk>/pay-back/",
        views.RefundPayBackView.as_view(),
        name="refund_pay_back",
    ),
]
