"""The providers' notification endpoints: no login, no CSRF token (the provider's signature is
the proof, verified in `orders.payments.services.notification_receive`), POST only."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from orders.payments.models import Provider
from orders.payments.services import notification_receive


@csrf_exempt
@require_POST
def payment_notify(request: HttpRequest, provider: str, agency_slug: str) -> HttpResponse:
    if provider not in Provider.values:
        return HttpResponse(status=404)
    answer = notification_receive(
        agency_slug=agency_slug, provider=provider, headers=request.headers, body=request.body
    )
    return HttpResponse(answer.body, status=answer.status, content_type=answer.content_type)
