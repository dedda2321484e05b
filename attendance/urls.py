from django.urls import path

from attendance import views

urlpatterns = [
    path("attendance/", views.ClockView.as_view(), name="attendance"),
    path("attendance/clock-in/", views.ClockInView.as_view(), name="attendance_clock_in"),
    path("attendance/clock-out/", views.ClockOutView.as_view(), name="attendance_clock_out"),
    path("attendance/report/", views.ReportView.as_view(), name="attendance_report"),
    path("attendance/report.csv", views.ReportCsvView.as_view(), name="attendance_report_csv"),
    path(
        "attendance/members/<int:pk>/",
        views.MemberMonthView.as_view(),
        name="attendance_member",
    ),
    path("attendance/policy/", views.PolicyView.as_view(), name="attendance_policy"),
    path("attendance/days-off/", views.DayOffAddView.as_view(), name="attendance_day_off_add"),
    path(
        "attendance/days-off/remove/",
        views.DayOffRemoveView.as_view(),
        name="attendance_day_off_remove",
    ),
]
