"""The messaging pages: the agency's templates and its message log (managers)."""

from django.urls import URLPattern, path

from messaging.views import log, receipts, templates

urlpatterns: list[URLPattern] = [
    path("messages/log/", log.MessageLogView.as_view(), name="message_log"),
    path("messages/templates/", templates.TemplateListView.as_view(), name="message_templates"),
    path(
        "messages/templates/<str:rule>/<str:language>/",
        templates.TemplateEditView.as_view(),
        name="message_template_edit",
    ),
    path(
        "messages/templates/<str:rule>/<str:language>/preview/",
        templates.TemplatePreviewView.as_view(),
        name="message_template_preview",
    ),
    path(
        "messages/templates/<str:rule>/<str:language>/reset/",
        templates.TemplateResetView.as_view(),
        name="message_template_reset",
    ),
    # Delivery receipts: signed in a header, or by the token in the URL (providers.receipts).
    path("hooks/sms/aliyun/", receipts.aliyun_receipts, name="sms_receipts_aliyun"),
    path(
        "hooks/sms/aliyun/<str:token>/", receipts.aliyun_receipts, name="sms_receipts_aliyun_token"
    ),
]
