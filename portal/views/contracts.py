"""The customer's contracts page and the download of a version's PDF."""

from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponseBase
from django.shortcuts import get_object_or_404
from django.views import View
from django.views.generic import ListView

from placements.models import ContractVersion
from portal.contracts import contract_pdf, contract_versions_for, placements_with_contracts
from portal.views.base import PortalCustomerMixin


class ContractListView(PortalCustomerMixin, ListView):
    template_name = "portal/contracts.html"
    context_object_name = "placements"
    paginate_by = 20

    def get_queryset(self) -> Any:
        return placements_with_contracts(agency=self.agency, customer=self.customer)


class ContractPdfView(PortalCustomerMixin, View):
    """The version's PDF, to its own customer only (anyone else's is a 404)."""

    model = ContractVersion

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        version = get_object_or_404(
            contract_versions_for(agency=self.agency, customer=self.customer), pk=kwargs["pk"]
        )
        document = contract_pdf(version)
        if document is None:
            raise Http404
        name = f"{version.placement.order.number}-{version.number}.pdf"
        response = FileResponse(document.open("rb"), content_type="application/pdf", filename=name)
        response["X-Content-Type-Options"] = "nosniff"
        return response
