from django.urls import path

from agency.customer_links import customer_link_path
from feedback import views

urlpatterns = [
    customer_link_path("f/<str:token>/", views.FeedbackFormView.as_view(), name="feedback_form"),
    path("revisits/", views.RevisitQueueView.as_view(), name="revisit_queue"),
    path("revisits/results/", views.FeedbackResultsView.as_view(), name="feedback_results"),
    path("revisits/assign/", views.RevisitAssignTickedView.as_view(), name="revisit_assign_ticked"),
    path("revisits/<int:pk>/log/", views.RevisitLogView.as_view(), name="revisit_log"),
    path("revisits/<int:pk>/assign/", views.RevisitAssignView.as_view(), name="revisit_assign"),
]
