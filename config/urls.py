from django.contrib import admin
from django.urls import include, path

from agency.accounts import LogoutView
from agency.health import health
from agency.media import serve_media

urlpatterns = [
    # Before Django's own: logging out of the site also ends the account's API tokens.
    path("accounts/logout/", LogoutView.as_view(), name="logout"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/", include("config.api_urls")),
    path("health/", health, name="health"),
    # Uploaded files, only through the signed links the pages hand out (agency.media).
    path("media/<path:name>", serve_media, name="media"),
    # Platform operators only (is_staff); agencies work in the pages below.
    path("admin/", admin.site.urls),
    # The customer portal, before the orders' signed link `c/<token>/` (see portal.urls).
    path("c/<slug:agency_slug>/", include("portal.urls")),
    path("", include("orders.urls")),
    path("", include("feedback.urls")),
    path("", include("staff.urls")),
    path("", include("complaints.urls")),
    path("", include("complaints.quality.urls")),
    path("", include("complaints.incidents.urls")),
    path("", include("placements.urls")),
    path("", include("attendance.urls")),
    path("", include("voice.urls")),
    path("", include("performance.urls")),
    path("", include("payroll.urls")),
    path("", include("payroll.adjustment_urls")),
    path("", include("payroll.my_urls")),
    path("", include("reports.urls")),
    path("", include("messaging.urls")),
    path("", include("home.urls")),
    path("", include("agency.urls")),
]

handler404 = "agency.errors.page_not_found"
