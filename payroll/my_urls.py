"""The staff member's own pay (/my/pay/) and finance's statement PDF (issue 21)."""

from django.urls import path

from payroll import my_views

urlpatterns = [
    path(
        "payroll/statements/<int:pk>/statement.pdf",
        my_views.StatementPdfView.as_view(),
        name="payroll_statement_pdf",
    ),
    path("my/pay/", my_views.MyPayView.as_view(), name="my_pay"),
    path("my/pay/<int:pk>/", my_views.MyPayStatementView.as_view(), name="my_pay_statement"),
    path(
        "my/pay/<int:pk>/statement.pdf",
        my_views.MyPayStatementPdfView.as_view(),
        name="my_pay_statement_pdf",
    ),
]
