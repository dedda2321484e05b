from django.urls import path

from orders.prepaid import views

urlpatterns = [
    path("prepaid/products/", views.ProductListView.as_view(), name="prepaid_product_list"),
    path("prepaid/products/new/", views.ProductCreateView.as_view(), name="prepaid_product_create"),
    path(
        "prepaid/products/<int:pk>/", views.ProductEditView.as_view(), name="prepaid_product_edit"
    ),
    path("prepaid/cards/", views.CardListView.as_view(), name="prepaid_card_list"),
    path("prepaid/cards/<int:pk>/", views.CardDetailView.as_view(), name="prepaid_card_detail"),
    path(
        "prepaid/cards/<int:pk>/refund/",
        views.CardRefundRequestView.as_view(),
        name="prepaid_card_refund",
    ),
    path("customers/<int:pk>/cards/sell/", views.CardSellView.as_view(), name="prepaid_card_sell"),
    path(
        "billing/invoices/<int:pk>/pay-from-card/",
        views.InvoiceCardPayView.as_view(),
        name="invoice_card_pay",
    ),
    path("prepaid/refunds/", views.RefundQueueView.as_view(), name="prepaid_refund_queue"),
    path(
        "prepaid/refunds/<int:pk>/approve/",
        views.RefundDecisionView.as_view(),
        name="prepaid_refund_approve",
    ),
    path(
        "prepaid/refunds/<int:pk>/reject/",
        views.RefundDecisionView.as_view(approve=False),
        name="prepaid_refund_reject",
    ),
    path(
        "prepaid/refunds/<int:pk>/pay-back/",
        views.RefundPayBackView.as_view(),
        name="prepaid_refund_pay_back",
    ),
]
