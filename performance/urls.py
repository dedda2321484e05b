from django.urls import path

from performance import views

urlpatterns = [
    path("performance/", views.ScorecardView.as_view(), name="performance"),
    path(
        "performance/staff/<int:pk>/",
        views.StaffPerformanceView.as_view(),
        name="performance_staff",
    ),
    path(
        "performance/staff/<int:pk>/propose/",
        views.PromotionProposeView.as_view(),
        name="promotion_propose",
    ),
    path(
        "performance/staff/<int:pk>/first-level/",
        views.FirstLevelView.as_view(),
        name="staff_first_level",
    ),
    path("performance/levels/", views.LevelListView.as_view(), name="level_list"),
    path("performance/levels/new/", views.LevelCreateView.as_view(), name="level_create"),
    path("performance/levels/<int:pk>/", views.LevelUpdateView.as_view(), name="level_update"),
    path(
        "performance/levels/induction/",
        views.InductionCourseView.as_view(),
        name="induction_course",
    ),
    path("performance/promotions/", views.PromotionQueueView.as_view(), name="promotion_queue"),
    path(
        "performance/promotions/<int:pk>/approve/",
        views.PromotionDecisionView.as_view(decision="approve"),
        name="promotion_approve",
    ),
    path(
        "performance/promotions/<int:pk>/reject/",
        views.PromotionDecisionView.as_view(decision="reject"),
        name="promotion_reject",
    ),
]
