"""The messaging pages, and the providers' delivery-receipt webhook."""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from agency.notifications import receipts_record
from messaging.providers import aliyun, receipts


@csrf_exempt  # a provider posts it, with no session: the signature stands in for one
@require_POST
def aliyun_receipts(request: HttpRequest, token: str = "") -> JsonResponse:
    """Aliyun's delivery reports: refused (403, nothing changed) unless signed.

    Not scoped by agency: the provider account is the platform's, and its ids and
    the messages' keys are unique across agencies; each message names its own.
    Aliyun pushes again until it reads code 0.
    """
    body = request.body
    signature = request.headers.get(receipts.SIGNATURE_HEADER, "")
    if not receipts.authentic(body=body, signature=signature, token=token):
        return JsonResponse({"code": 403, "msg": "signature"}, status=403)
    try:
        found = aliyun.receipts_from(body)
    except ValueError:
        return JsonResponse({"code": 400, "msg": "not a report"}, status=400)
    receipts_record(found)
    return JsonResponse({"code": 0, "msg": "接收成功"})
