"""Signing pages: the customer's and the staff member's phone page by their signed link
(the contract to read, the terms, the canvas; the signed contract once all have
signed), and on the placement page the manager's signature for the agency and the
agency's unmasked copy."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import View

from agency.action_views import ActionMixin
from agency.audit import Actor
from agency.errors import StateConflict
from agency.pdf import pdf_response
from agency.permissions import Area
from placements.contracts import render_contract_pdf
from placements.models import ContractStatus, ContractVersion, Placement, SigningParty
from placements.signing import contract_sign_by_link, contract_sign_for_agency, signatures_of
from placements.signing_forms import ContractSignForm
from placements.signing_links import LinkExpired, signing_link_open
from placements.views import PlacementDetailView


class SignLinkMixin(View):
    """A page or a PDF behind a signer's link, in the signer's language."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            self.version, self.party = signing_link_open(kwargs["token"])
        except LinkExpired as expired:
            context = {"error": expired.message}
            return render(request, "placements/signing/link_expired.html", context, status=410)
        except ValidationError:
            return render(request, "orders/link_invalid.html", status=404)
        language = self.signer_language()
        with translation.override(language):
            request.LANGUAGE_CODE = language
            return super().dispatch(request, *args, **kwargs)

    def signer_language(self) -> str:
        order = self.version.placement.order
        agency = self.version.agency
        if self.party == SigningParty.CUSTOMER:
            return order.customer.preferred_language or agency.default_language
        staff = self.version.staff
        user = staff.user if staff else None
        return (user.preferred_language if user else "") or agency.default_language


class SignLinkView(SignLinkMixin):
    """The signer's phone page: read, draw, sign; then thanks (and the signed contract)."""

    template_name = "placements/signing/sign.html"

    def page(self, form: ContractSignForm, *, status: int = 200, error: str = "") -> HttpResponse:
        signatures = signatures_of(self.version)
        token = self.kwargs["token"]
        context = {
            "version": self.version,
            "order": self.version.placement.order,
            "party": self.party,
            "v": self.version.terms["variables"],
            "signed": signatures.get(self.party),
            "form": form,
            "error": error,
            "pdf_url": reverse("contract_sign_pdf", kwargs={"token": token}),
            "final_url": (
                reverse("contract_sign_final", kwargs={"token": token})
                if self.version.final_document
                else ""
            ),
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = ContractSignForm(initial={"document_sha256": self.version.document_sha256})
        return self.page(form)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = ContractSignForm(request.POST)
        if not form.is_valid():
            return self.page(form, status=400)
        try:
            contract_sign_by_link(
                token=kwargs["token"],
                image_bytes=form.cleaned_data["image"],
                document_sha256=form.cleaned_data["document_sha256"],
                ip=Actor.from_request(request).ip_address,
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
            return self.page(form, status=400)
        except StateConflict as conflict:
            return self.page(form, status=409, error=str(conflict))
        return redirect("contract_sign_link", token=kwargs["token"])


class SignLinkPdfView(SignLinkMixin):
    """The contract as the signer reads it: the stored, masked copy whose hash they sign."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        with self.version.document.open("rb") as document:
            content = document.read()
        return pdf_response(content, filename=f"contract-{self.version.number}.pdf")


class SignLinkFinalPdfView(SignLinkMixin):
    """The signed contract, once all three have signed."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.version.final_document:
            raise Http404
        with self.version.final_document.open("rb") as document:
            content = document.read()
        return pdf_response(content, filename=f"signed-contract-{self.version.number}.pdf")


class AgencySignView(ActionMixin, PlacementDetailView):
    """The manager signs for the agency, on the placement page, the version out for
    signature (one at a time); the hidden hash says which document they saw."""

    area = Area.CONTRACTS
    page_name = "placement_detail"
    form_class = ContractSignForm
    form_context_name = "agency_sign_form"

    def act(self, placement: Placement, form: ContractSignForm) -> str:
        signature = contract_sign_for_agency(
            placement=placement,
            image_bytes=form.cleaned_data["image"],
            document_sha256=form.cleaned_data["document_sha256"],
            actor=self.actor,
        )
        version = signature.version
        version.refresh_from_db()
        if version.status == ContractStatus.SIGNED:
            return _("Signed by all three: the signed contract is stored.")
        return _("Signed for the agency.")

    def succeeded(self) -> HttpResponse:
        return redirect(reverse("placement_detail", kwargs={"pk": self.object.pk}) + "#signatures")


class AgencyCopyView(PlacementDetailView):
    """The agency's copy of a version (`?version=N`, else the latest): the staff
    member's ID number in full, for managers only."""

    area = Area.CONTRACTS

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        versions = ContractVersion.objects.filter(
            agency=self.agency, placement=self.object
        ).exclude(document="")
        number = request.GET.get("version", "")
        version = (
            versions.filter(number=number).first()
            if number.isdigit()
            else versions.order_by("-number").first()
        )
        if version is None:
            messages.error(request, _("No contract yet."))
            return redirect("placement_detail", pk=self.object.pk)
        content = render_contract_pdf(version, agency_copy=True)
        return pdf_response(content, filename=f"contract-{version.number}-agency.pdf")
