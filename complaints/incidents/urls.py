from django.urls import path

from agency.customer_links import customer_link_path
from complaints.incidents import views

urlpatterns = [
    path("my/jobs/<int:pk>/incident/", views.ReportView.as_view(), name="my_job_incident"),
    path("my/jobs/<int:pk>/valuables/", views.ValuablesView.as_view(), name="my_job_valuables"),
    # The customer's signed link: short, since it is sent by SMS.
    customer_link_path(
        "v/<str:token>/", views.ValuablesConfirmView.as_view(), name="valuables_confirm"
    ),
    path("incidents/", views.IncidentListView.as_view(), name="incident_list"),
    path("incidents/new/", views.IncidentRecordView.as_view(), name="incident_new"),
    path("incidents/<int:pk>/", views.IncidentDetailView.as_view(), name="incident_detail"),
    path("incidents/<int:pk>/owner/", views.AssignView.as_view(), name="incident_assign"),
    path("incidents/<int:pk>/damage/", views.DamageView.as_view(), name="incident_damage"),
    path("incidents/<int:pk>/actions/", views.AddActionView.as_view(), name="incident_action"),
    path(
        "incidents/<int:pk>/actions/done/",
        views.ActionDoneView.as_view(),
        name="incident_action_done",
    ),
    path(
        "incidents/<int:pk>/complaint/",
        views.OpenComplaintView.as_view(),
        name="incident_complaint",
    ),
    path("incidents/<int:pk>/close/", views.CloseView.as_view(), name="incident_close"),
]
