"""Service's pages: the office's acceptance sign-off, rework and changes on an order, and
the field staff's own pages (我的工单) on their phones."""

from django.urls import path

from orders.service.views import acceptance, field, field_service

urlpatterns = [
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
    # The field staff's own pages.
    path("my/jobs/", field.MyJobsView.as_view(), name="my_jobs"),
    path("my/jobs/<int:pk>/", field.MyJobView.as_view(), name="my_job"),
    path("my/jobs/<int:pk>/reveal/", field.MyJobRevealView.as_view(), name="my_job_reveal"),
    # The service log, stage 1 and rework (pk is the Assignment: the person's own job).
    path("my/jobs/<int:pk>/prepare/", field_service.PrepareView.as_view(), name="my_job_prepare"),
    path(
        "my/jobs/<int:pk>/acknowledge/",
        field_service.AcknowledgeView.as_view(),
        name="my_job_acknowledge",
    ),
    path("my/jobs/<int:pk>/decline/", field_service.DeclineView.as_view(), name="my_job_decline"),
    path("my/jobs/<int:pk>/depart/", field_service.DepartView.as_view(), name="my_job_depart"),
    path("my/jobs/<int:pk>/check-in/", field_service.CheckInView.as_view(), name="my_job_check_in"),
    path("my/jobs/<int:pk>/task/", field_service.TaskView.as_view(), name="my_job_task"),
    path("my/jobs/<int:pk>/note/", field_service.NoteView.as_view(), name="my_job_note"),
    path("my/jobs/<int:pk>/correct/", field_service.CorrectView.as_view(), name="my_job_correct"),
    path(
        "my/jobs/<int:pk>/check-out/",
        field_service.CheckOutView.as_view(),
        name="my_job_check_out",
    ),
    path("my/jobs/<int:pk>/inspect/", field_service.InspectView.as_view(), name="my_job_inspect"),
    path("my/jobs/<int:pk>/sign/", field_service.SignView.as_view(), name="my_job_sign"),
    path("my/jobs/<int:pk>/change/", field_service.ChangeView.as_view(), name="my_job_change"),
    path(
        "my/jobs/<int:pk>/change/withdraw/",
        field_service.ChangeWithdrawView.as_view(),
        name="my_job_change_withdraw",
    ),
    path(
        "my/jobs/<int:pk>/customer/",
        field_service.CustomerView.as_view(),
        name="my_job_customer",
    ),
    path("my/jobs/<int:pk>/rework/", field_service.ReworkView.as_view(), name="my_job_rework"),
    path(
        "my/jobs/<int:pk>/rework/submit/",
        field_service.ReworkSubmitView.as_view(),
        name="my_job_rework_submit",
    ),
    path("my/records/", field.MyRecordsView.as_view(), name="my_records"),
]
