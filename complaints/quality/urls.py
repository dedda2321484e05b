from django.urls import path

from complaints.quality import record_views, views

urlpatterns = [
    path("quality/", views.QualityView.as_view(), name="quality"),
    path(
        "quality/checklists/new/",
        record_views.ChecklistFormView.as_view(),
        name="quality_checklist_new",
    ),
    path(
        "quality/checklists/<int:pk>/",
        record_views.ChecklistEditView.as_view(),
        name="quality_checklist",
    ),
    path("quality/plans/new/", record_views.PlanCreateView.as_view(), name="quality_plan_new"),
    path(
        "quality/plans/<int:pk>/record/",
        record_views.InspectionRecordView.as_view(),
        name="quality_plan_record",
    ),
    path(
        "quality/inspections/new/",
        record_views.InspectionRecordView.as_view(),
        name="quality_inspection_new",
    ),
    path(
        "quality/inspections/<int:pk>/",
        record_views.InspectionDetailView.as_view(),
        name="quality_inspection",
    ),
    path("risks/", views.RiskRegisterView.as_view(), name="risk_register"),
]
