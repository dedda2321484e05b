"""The staff member's QR code at check-out: the customer scans it and pays the job's invoice."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views import View

from agency.permissions import Area
from agency.tenant_views import TenantObjectMixin
from orders.models import Assignment
from orders.payments.pages import pay_code
from orders.payments.selectors import invoice_to_pay
from orders.service.selectors import jobs_of_staff_user


class MyJobPayCodeView(TenantObjectMixin, View):
    """One of the requesting staff user's own jobs: anyone else's answers 404."""

    area = Area.MY_JOBS
    model = Assignment
    #: The isolation sweep makes "own" objects belong to the requesting user through this.
    owner_lookup = "staff__user"

    def get_queryset(self) -> QuerySet[Assignment]:
        return jobs_of_staff_user(agency=self.agency, user=self.user)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        assignment: Assignment = self.object
        invoice = invoice_to_pay(order=assignment.order)
        context = {"base_template": "base.html", "assignment": assignment}
        if invoice is None:
            return render(request, "payments/pay_code.html", {**context, "invoice": None})
        return pay_code(
            request,
            invoice=invoice,
            actor=self.actor,
            template="payments/pay_code.html",
            context=context,
        )

    post = get
