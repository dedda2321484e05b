"""The schedule board: the page, its 30-second poll, a job's panel, and the actions."""

from django.urls import path

from orders.schedule import views

urlpatterns = [
    path("schedule/", views.ScheduleBoardView.as_view(), name="schedule_board"),
    path("schedule/changes/", views.ScheduleChangesView.as_view(), name="schedule_changes"),
    path("schedule/jobs/<int:pk>/", views.ScheduleJobView.as_view(), name="schedule_job"),
    path(
        "schedule/jobs/<int:pk>/propose/", views.SchedulePropose.as_view(), name="schedule_propose"
    ),
    path("schedule/jobs/<int:pk>/move/", views.ScheduleMove.as_view(), name="schedule_move"),
    path("schedule/assignments/<int:pk>/swap/", views.ScheduleSwap.as_view(), name="schedule_swap"),
    path(
        "schedule/assignments/<int:pk>/release/",
        views.ScheduleRelease.as_view(),
        name="schedule_release",
    ),
]
