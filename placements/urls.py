from django.urls import path

from placements import billing_views, contract_views, views

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
        "placements/contract-templates/",
        contract_views.ContractTemplateView.as_view(),
        name="contract_templates",
    ),
    path(
        "placements/<int:pk>/contract/",
        contract_views.ContractPrepareView.as_view(),
        name="contract_prepare",
    ),
]
