from django.urls import path

from staff import views

urlpatterns = [
    path("staff/", views.StaffListView.as_view(), name="staff_list"),
    path("staff/new/", views.StaffCreateView.as_view(), name="staff_create"),
    path("staff/<int:pk>/", views.StaffDetailView.as_view(), name="staff_detail"),
    path("staff/<int:pk>/edit/", views.StaffUpdateView.as_view(), name="staff_update"),
    path("staff/<int:pk>/skills/", views.StaffSkillsView.as_view(), name="staff_skills"),
    path(
        "staff/<int:pk>/working-pattern/",
        views.WorkingPatternView.as_view(),
        name="staff_working_pattern",
    ),
    path(
        "staff/<int:pk>/certificates/new/",
        views.CertificateAddView.as_view(),
        name="certificate_add",
    ),
    path("staff/<int:pk>/trainings/new/", views.TrainingAddView.as_view(), name="training_add"),
    path(
        "staff/<int:pk>/time-off/new/", views.TimeOffRequestView.as_view(), name="time_off_request"
    ),
    path(
        "staff/certificates/expiring/",
        views.CertificatesExpiringView.as_view(),
        name="certificates_expiring",
    ),
    path(
        "staff/certificates/<int:pk>/edit/",
        views.CertificateEditView.as_view(),
        name="certificate_edit",
    ),
    path("staff/time-off/", views.TimeOffPendingView.as_view(), name="time_off_pending"),
    path(
        "staff/time-off/<int:pk>/approve/",
        views.TimeOffApproveView.as_view(),
        name="time_off_approve",
    ),
    path(
        "staff/time-off/<int:pk>/reject/",
        views.TimeOffRejectView.as_view(),
        name="time_off_reject",
    ),
]
