"""The messaging pages: the agency's templates and its message log (managers)."""

from django.urls import URLPattern, path

from messaging.views import log

urlpatterns: list[URLPattern] = [
    path("messages/log/", log.MessageLogView.as_view(), name="message_log"),
]
