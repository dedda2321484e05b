"""The messaging pages: the agency's templates and its message log (managers)."""

from django.urls import URLPattern, path

from messaging import views

urlpatterns: list[URLPattern] = [
    # Delivery receipts: signed in a header, or by the token in the URL (providers.receipts).
    path("hooks/sms/aliyun/", views.aliyun_receipts, name="sms_receipts_aliyun"),
    path("hooks/sms/aliyun/<str:token>/", views.aliyun_receipts, name="sms_receipts_aliyun_token"),
]
