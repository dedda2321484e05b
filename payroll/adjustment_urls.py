from django.urls import path

from payroll import adjustment_views

urlpatterns = [
    path(
        "payroll/adjustments/",
        adjustment_views.AdjustmentListView.as_view(),
        name="pay_adjustment_list",
    ),
    path(
        "payroll/adjustments/new/",
        adjustment_views.AdjustmentProposeView.as_view(),
        name="pay_adjustment_propose",
    ),
    path(
        "payroll/adjustments/<int:pk>/approve/",
        adjustment_views.AdjustmentApproveView.as_view(),
        name="pay_adjustment_approve",
    ),
    path(
        "payroll/adjustments/<int:pk>/reject/",
        adjustment_views.AdjustmentRejectView.as_view(),
        name="pay_adjustment_reject",
    ),
    path(
        "payroll/statements/<int:pk>/correct/",
        adjustment_views.StatementCorrectView.as_view(),
        name="pay_statement_correct",
    ),
]
