"""Routes of the field staff's own pages (kept apart from the office's orders routes)."""

from django.urls import path

from orders.views import field, field_service

urlpatterns = [
    path("my/jobs/", field.MyJobsView.as_view(), name="my_jobs"),
    path("my/jobs/<int:pk>/", field.MyJobView.as_view(), name="my_job"),
    path("my/jobs/<int:pk>/reveal/", field.MyJobRevealView.as_view(), name="my_job_reveal"),
    # The service log, stage 1 and rework (pk is the Assignment: the person's own job).
    path("my/jobs/<int:pk>/prepare/", field_service.PrepareView.as_view(), name="my_job_prepare"),
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
