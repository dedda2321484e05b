"""The portal's pages, under /c/<agency_slug>/ (config/urls.py mounts them first: a signed
link's token always holds a colon, which a slug never does, so the two never collide)."""

from django.urls import path

from portal.views import actions, booking, contracts, money, pages, sign_in

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
    path("invoices/<int:pk>/", money.InvoiceDetailView.as_view(), name="invoice"),
    path("invoices/<int:pk>/pay/", money.InvoicePayView.as_view(), name="invoice_pay"),
    path("invoices/<int:pk>/card/", money.CardPayView.as_view(), name="invoice_card_pay"),
    path("cards/", money.CardListView.as_view(), name="cards"),
    path("contracts/", contracts.ContractListView.as_view(), name="contracts"),
    path("contracts/<int:pk>/pdf/", contracts.ContractPdfView.as_view(), name="contract_pdf"),
    path("complaints/", pages.ComplaintListView.as_view(), name="complaints"),
    path("feedback/", pages.FeedbackListView.as_view(), name="feedback"),
    path("book/", booking.BookView.as_view(), name="book"),
    path("orders/<int:pk>/book-again/", booking.RebookView.as_view(), name="rebook"),
    path("requests/", booking.BookingRequestListView.as_view(), name="booking_requests"),
    path("orders/<int:pk>/move/", actions.RescheduleView.as_view(), name="reschedule"),
    path("orders/<int:pk>/cancel/", actions.CancelView.as_view(), name="cancel"),
    path("orders/<int:pk>/feedback/", actions.FeedbackGiveView.as_view(), name="feedback_give"),
    path("complaints/new/", actions.ComplaintFileView.as_view(), name="complaint_file"),
    path("callback/", actions.CallbackView.as_view(), name="callback"),
    path("preferences/", actions.PreferencesView.as_view(), name="preferences"),
]
