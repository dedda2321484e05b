from django.urls import path

from agency.customer_links import customer_link_path
from placements import (
    amendment_views,
    billing_views,
    contract_views,
    during_views,
    settings_views,
    signing_views,
    views,
)

urlpatterns = [
    path("placements/", views.PlacementListView.as_view(), name="placement_list"),
    path("placements/<int:pk>/", views.PlacementDetailView.as_view(), name="placement_detail"),
    path(
        "orders/<int:pk>/placement/",
        views.PlacementOpenView.as_view(),
        name="placement_open",
    ),
    path(
        "placements/<int:pk>/terminate/",
        billing_views.PlacementTerminateView.as_view(),
        name="placement_terminate",
    ),
    path(
        "placements/settings/",
        settings_views.PlacementSettingsView.as_view(),
        name="placement_settings",
    ),
    path(
        "placements/contract-templates/",
        contract_views.ContractTemplateView.as_view(),
        name="contract_templates",
    ),
    path(
        "placements/<int:pk>/contract/",
        contract_views.ContractPrepareView.as_view(),
        name="contract_prepare",
    ),
    path(
        "placements/<int:pk>/amend/",
        amendment_views.AmendView.as_view(),
        name="placement_amend",
    ),
    path(
        "placements/<int:pk>/renew/",
        amendment_views.RenewView.as_view(),
        name="placement_renew",
    ),
    path(
        "placements/<int:pk>/briefing/",
        during_views.BriefingView.as_view(),
        name="placement_briefing",
    ),
    path("placements/<int:pk>/start/", during_views.StartView.as_view(), name="placement_start"),
    path(
        "placements/<int:pk>/trial/replace/",
        during_views.TrialReplaceView.as_view(),
        name="placement_trial_replace",
    ),
    # The customer's signed link: short, since it is sent by SMS.
    customer_link_path(
        "t/<str:token>/", during_views.TrialAnswerView.as_view(), name="placement_trial"
    ),
    path(
        "placements/<int:pk>/contract/sign/",
        signing_views.AgencySignView.as_view(),
        name="contract_sign_agency",
    ),
    path(
        "placements/<int:pk>/contract/agency-copy.pdf",
        signing_views.AgencyCopyView.as_view(),
        name="contract_agency_copy",
    ),
    # The customer's and the staff member's signed links to sign (sent by SMS: short).
    customer_link_path(
        "s/<str:token>/", signing_views.SignLinkView.as_view(), name="contract_sign_link"
    ),
    customer_link_path(
        "s/<str:token>/contract.pdf",
        signing_views.SignLinkPdfView.as_view(),
        name="contract_sign_pdf",
    ),
    customer_link_path(
        "s/<str:token>/signed.pdf",
        signing_views.SignLinkFinalPdfView.as_view(),
        name="contract_sign_final",
    ),
]
