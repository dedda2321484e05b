"""Staffing an order: candidates, "why not?", proposal, the customer's answer, 换人."""

from django.urls import path

from orders.staffing import views

urlpatterns = [
    path("orders/<int:pk>/staff/", views.OrderStaffView.as_view(), name="order_staff"),
    path("orders/<int:pk>/staff/why/", views.OrderStaffWhyView.as_view(), name="order_staff_why"),
    path(
        "orders/<int:pk>/staff/propose/",
        views.OrderProposeView.as_view(),
        name="order_staff_propose",
    ),
    path(
        "orders/<int:pk>/staff/card/",
        views.StaffCardLinkView.as_view(),
        name="order_staff_card",
    ),
    path(
        "orders/<int:pk>/staff/confirm/",
        views.ConfirmByPhoneView.as_view(),
        name="order_staff_confirm",
    ),
    path(
        "orders/<int:pk>/staff/decline/",
        views.DeclineByPhoneView.as_view(),
        name="order_staff_decline",
    ),
    path(
        "orders/<int:pk>/staff/replace/",
        views.OrderReplaceView.as_view(),
        name="order_staff_replace",
    ),
    path(
        "orders/<int:pk>/staff/release/",
        views.ReleaseView.as_view(),
        name="order_staff_release",
    ),
]
