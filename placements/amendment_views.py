"""The amendment and renewal pages of a signed placement: the terms as they would be,
sent for signature as a new contract version (`placements.amendments`)."""

from datetime import timedelta
from typing import Any, ClassVar

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import FormView

from agency.errors import StateConflict
from agency.idempotency import RepeatedSubmission
from agency.permissions import Area
from agency.tenant_views import ServiceFormMixin, TenantObjectMixin
from placements import selectors
from placements.amendment_forms import AmendForm
from placements.amendments import contract_amend
from placements.models import ContractKind, Placement
from placements.terms import TERM_FIELDS, Terms


class AmendView(TenantObjectMixin, ServiceFormMixin, FormView):
    area = Area.PLACEMENTS
    model = Placement
    template_name = "placements/amend.html"
    form_class = AmendForm
    kind: ClassVar[str] = ContractKind.AMENDMENT

    def get_queryset(self) -> QuerySet[Placement]:
        return selectors.placements_for(agency=self.agency)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "placement": self.object}

    def get_initial(self) -> dict[str, Any]:
        placement = self.object
        if self.kind != ContractKind.RENEWAL:
            return {}
        # A renewal proposes the same length again from the day after the last.
        length = placement.ends_on - placement.starts_on
        return {"ends_on": placement.ends_on + length + timedelta(days=1)}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            placement=self.object, renewal=self.kind == ContractKind.RENEWAL, **kwargs
        )

    def perform(self, form: AmendForm) -> None:
        data = form.cleaned_data
        try:
            self.version = contract_amend(
                placement=self.object,
                actor=self.actor,
                terms=Terms(**{name: data[name] for name in TERM_FIELDS}),
                reason=data["reason"],
                staff=data["staff"],
                kind=self.kind,
                submission_key=data["submission_key"],
            )
        except RepeatedSubmission as repeat:  # a double click: the version it made
            messages.info(self.request, repeat.message)
            return
        messages.success(
            self.request,
            _("Version %(number)s is out for signature.") % {"number": self.version.number},
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return super().post(request, *args, **kwargs)
        except StateConflict as conflict:  # not signed, or a version out already
            messages.error(request, str(conflict))
            return redirect(self.get_success_url())

    def form_invalid(self, form: AmendForm) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_success_url(self) -> str:
        return reverse("placement_detail", kwargs={"pk": self.object.pk}) + "#contract"


class RenewView(AmendView):
    kind = ContractKind.RENEWAL
