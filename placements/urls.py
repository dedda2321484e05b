from django.urls import path

from placements import views

urlpatterns = [
    path("placements/", views.PlacementListView.as_view(), name="placement_list"),
    path("placements/<int:pk>/", views.PlacementDetailView.as_view(), name="placement_detail"),
    path(
        "orders/<int:pk>/placement/",
        views.PlacementOpenView.as_view(),
        name="placement_open",
    ),
]
