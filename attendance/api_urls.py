"""Included under /api/office-attendance/ by config/api_urls.py."""

from django.urls import path

from attendance import api

urlpatterns = [
    path("", api.MyAttendanceView.as_view(), name="api_office_attendance"),
    path("clock-in/", api.ClockInView.as_view(), name="api_office_attendance_clock_in"),
    path("clock-out/", api.ClockOutView.as_view(), name="api_office_attendance_clock_out"),
    path("report/", api.ReportView.as_view(), name="api_office_attendance_report"),
    path(
        "corrections/",
        api.CorrectionView.as_view(),
        name="api_office_attendance_corrections",
    ),
]
