from django.urls import path

from payroll import rules_views, views

urlpatterns = [
    path("payroll/", views.PeriodListView.as_view(), name="payroll_periods"),
    path("payroll/periods/<int:pk>/", views.PeriodDetailView.as_view(), name="payroll_period"),
    path(
        "payroll/periods/<int:pk>/compute/",
        views.PeriodComputeView.as_view(),
        name="payroll_period_compute",
    ),
    path(
        "payroll/periods/<int:pk>/approve/",
        views.PeriodApproveView.as_view(),
        name="payroll_period_approve",
    ),
    path("payroll/periods/<int:pk>/pay/", views.PeriodPayView.as_view(), name="payroll_period_pay"),
    path(
        "payroll/periods/<int:pk>/export.csv",
        views.PeriodCsvView.as_view(),
        name="payroll_period_csv",
    ),
    path(
        "payroll/statements/<int:pk>/",
        views.StatementDetailView.as_view(),
        name="payroll_statement",
    ),
    path(
        "payroll/statements/<int:pk>/approve/",
        views.StatementApproveView.as_view(),
        name="payroll_statement_approve",
    ),
    path(
        "payroll/statements/<int:pk>/pay/",
        views.StatementPayView.as_view(),
        name="payroll_statement_pay",
    ),
    path("payroll/rules/", rules_views.RulesView.as_view(), name="payroll_rules"),
    path("payroll/rates/new/", rules_views.RateCreateView.as_view(), name="payroll_rate_new"),
    path("payroll/rates/<int:pk>/", rules_views.RateEditView.as_view(), name="payroll_rate_edit"),
    path(
        "payroll/rates/<int:pk>/delete/",
        rules_views.RateDeleteView.as_view(),
        name="payroll_rate_delete",
    ),
]
