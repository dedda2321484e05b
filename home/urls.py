from django.urls import path

from home import views

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("home/waiting/", views.WaitingCountsView.as_view(), name="home_waiting"),
]
