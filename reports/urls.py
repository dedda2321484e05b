from django.urls import path

from reports import views

urlpatterns = [
    path("reports/", views.DashboardView.as_view(), name="dashboard"),
]
