from django.urls import path

from agency.customer_links import customer_link_path
from orders.billing.views import customer_link, office

urlpatterns = [
    path("billing/", office.BillingListView.as_view(), name="billing_list"),
    path("billing/invoices/<int:pk>/", office.InvoiceDetailView.as_view(), name="invoice_detail"),
    path("billing/invoices/<int:pk>.pdf", office.InvoicePdfView.as_view(), name="invoice_pdf"),
    path(
        "billing/invoices/<int:pk>/issue/", office.InvoiceIssueView.as_view(), name="invoice_issue"
    ),
    path(
        "billing/invoices/<int:pk>/adjust/",
        office.InvoiceAdjustView.as_view(),
        name="invoice_adjust",
    ),
    path(
        "billing/invoices/<int:pk>/payments/",
        office.InvoicePaymentView.as_view(),
        name="invoice_payment",
    ),
    path(
        "billing/invoices/<int:pk>/credit-note/",
        office.InvoiceCreditNoteView.as_view(),
        name="invoice_credit_note",
    ),
    path(
        "billing/invoices/<int:pk>/refund/",
        office.InvoiceRefundView.as_view(),
        name="invoice_refund",
    ),
    path(
        "billing/invoices/<int:pk>/customer-link/",
        office.InvoiceCustomerLinkView.as_view(),
        name="invoice_customer_link",
    ),
    path("billing/receipts/<int:pk>.pdf", office.ReceiptPdfView.as_view(), name="receipt_pdf"),
    path("billing/refunds/", office.RefundQueueView.as_view(), name="refund_queue"),
    path(
        "billing/refunds/<int:pk>/approve/",
        office.RefundDecisionView.as_view(),
        name="refund_approve",
    ),
    path(
        "billing/refunds/<int:pk>/reject/",
        office.RefundDecisionView.as_view(approve=False),
        name="refund_reject",
    ),
    path(
        "billing/refunds/<int:pk>/pay-back/",
        office.RefundPayBackView.as_view(),
        name="refund_pay_back",
    ),
    # The downloads of the customer link for an invoice carry its token, as its pay page.
    customer_link_path(
        "c/<str:token>/pay/", customer_link.customer_link_pay, name="customer_link_pay"
    ),
    customer_link_path(
        "c/<str:token>/invoice.pdf",
        customer_link.customer_link_invoice_pdf,
        name="customer_link_invoice_pdf",
    ),
    customer_link_path(
        "c/<str:token>/receipts/<int:payment_id>.pdf",
        customer_link.customer_link_receipt_pdf,
        name="customer_link_receipt_pdf",
    ),
]
