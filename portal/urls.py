"""The portal's pages, under /c/<agency_slug>/ (config/urls.py mounts them first: a signed
link's token always holds a colon, which a slug never does, so the two never collide)."""

from django.urls import path

from portal.views import pages, sign_in

app_name = "portal"

urlpatterns = [
    path("", pages.HomeView.as_view(), name="home"),
    path("sign-in/", sign_in.SignInView.as_view(), name="sign_in"),
    path("sign-in/code/", sign_in.CodeView.as_view(), name="sign_in_code"),
    path("sign-out/", sign_in.SignOutView.as_view(), name="sign_out"),
    path("language/", sign_in.LanguageView.as_view(), name="language"),
    path("orders/", pages.OrderListView.as_view(), name="orders"),
    path("orders/<int:pk>/", pages.OrderDetailView.as_view(), name="order"),
    path("invoices/", pages.InvoiceListView.as_view(), name="invoices"),
    path("invoices/<int:pk>/pdf/", pages.InvoicePdfView.as_view(), name="invoice_pdf"),
    path("receipts/<int:pk>/pdf/", pages.ReceiptPdfView.as_view(), name="receipt_pdf"),
    path("complaints/", pages.ComplaintListView.as_view(), name="complaints"),
    path("feedback/", pages.FeedbackListView.as_view(), name="feedback"),
]
