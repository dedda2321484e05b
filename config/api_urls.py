"""Everything under /api/: one router, the schema and the docs."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from agency.api import AuditLogViewSet, BranchViewSet, MemberViewSet, MeView, TokenLoginView
from orders.api import (
    CallbackViewSet,
    CancellationViewSet,
    CustomerViewSet,
    OrderViewSet,
    ServiceTypeViewSet,
)
from staff.api import CertificateViewSet, StaffViewSet, TimeOffViewSet, TrainingViewSet

router = DefaultRouter()
router.register("branches", BranchViewSet, basename="branch")
router.register("members", MemberViewSet, basename="membership")
router.register("audit-log", AuditLogViewSet, basename="auditlog")
router.register("customers", CustomerViewSet, basename="customer")
router.register("service-types", ServiceTypeViewSet, basename="servicetype")
router.register("orders", OrderViewSet, basename="order")
router.register("cancellations", CancellationViewSet, basename="cancellation")
router.register("callbacks", CallbackViewSet, basename="callback")
router.register("staff", StaffViewSet, basename="staff")
router.register("certificates", CertificateViewSet, basename="certificate")
router.register("trainings", TrainingViewSet, basename="training")
router.register("time-off", TimeOffViewSet, basename="timeoff")


urlpatterns = [
    path("auth/token/", TokenLoginView.as_view(), name="api_token"),
    path("me/", MeView.as_view(), name="api_me"),
    path("schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api_schema"), name="api_docs"),
    path("", include(router.urls)),
]
