from django.urls import path

from complaints.quality import views

urlpatterns = [
    path("quality/", views.QualityView.as_view(), name="quality"),
    path("risks/", views.RiskRegisterView.as_view(), name="risk_register"),
]
