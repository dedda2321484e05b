from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from agency.health import health

urlpatterns = [
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/", include("config.api_urls")),
    path("health/", health, name="health"),
    # Platform operators only (is_staff); agencies work in the pages below.
    path("admin/", admin.site.urls),
    path("", include("orders.urls")),
    path("", include("feedback.urls")),
    path("", include("orders.billing.urls")),
    path("", include("orders.field_urls")),
    path("", include("staff.urls")),
    path("", include("complaints.urls")),
    path("", include("reports.urls")),
    path("", include("agency.urls")),
]
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler404 = "agency.errors.page_not_found"
