from django.urls import path

from reports import rows_views, views

urlpatterns = [
    path("reports/", views.DashboardView.as_view(), name="dashboard"),
    path("reports/rows/<str:table>/", rows_views.RowsView.as_view(), name="report_rows"),
    path("reports/rows/<str:table>.csv", rows_views.RowsCsvView.as_view(), name="report_rows_csv"),
    path("reports/weekly/", views.WeeklyReportListView.as_view(), name="weekly_reports"),
    path(
        "reports/weekly/<int:pk>.pdf", views.WeeklyReportPdfView.as_view(), name="weekly_report_pdf"
    ),
    path(
        "reports/weekly/<int:pk>/regenerate/",
        views.WeeklyReportRegenerateView.as_view(),
        name="weekly_report_regenerate",
    ),
]
