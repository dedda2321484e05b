"""Routes of the field staff's own pages (kept apart from the office's orders routes)."""

from django.urls import path

from orders.views import field

urlpatterns = [
    path("my/jobs/", field.MyJobsView.as_view(), name="my_jobs"),
    path("my/jobs/<int:pk>/", field.MyJobView.as_view(), name="my_job"),
    path("my/jobs/<int:pk>/reveal/", field.MyJobRevealView.as_view(), name="my_job_reveal"),
    path("my/records/", field.MyRecordsView.as_view(), name="my_records"),
]
