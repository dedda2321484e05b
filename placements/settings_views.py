"""The manager's placement settings page: the policy and the briefing checklist, saved
together by one service call."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from agency.permissions import Area
from agency.tenant_views import TenantMixin, attach_errors
from placements.during import policy_for
from placements.settings import ItemLine, checklist_lines, placement_settings_save
from placements.settings_forms import BriefingItemFormSet, PlacementPolicyForm

POLICY_PREFIX = "policy"
ITEMS_PREFIX = "items"


class PlacementSettingsView(TenantMixin, View):
    area = Area.CONTRACTS
    template_name = "placements/psettings/settings.html"

    def page(self, form: PlacementPolicyForm, items: Any, status: int = 200) -> HttpResponse:
        context = {"form": form, "items": items}
        return render(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        policy = policy_for(self.agency)
        form = PlacementPolicyForm(
            prefix=POLICY_PREFIX,
            initial={
                "replacement_fee": policy.replacement_fee,
                "renewal_notice_days": policy.renewal_notice_days,
                "first_check_in_days": policy.first_check_in_days,
                "check_in_every_days": policy.check_in_every_days,
            },
        )
        initial = [
            {"id": line.id, "label": line.label, "ORDER": position}
            for position, line in enumerate(checklist_lines(self.agency), start=1)
        ]
        return self.page(form, BriefingItemFormSet(prefix=ITEMS_PREFIX, initial=initial))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = PlacementPolicyForm(request.POST, prefix=POLICY_PREFIX)
        items = BriefingItemFormSet(request.POST, prefix=ITEMS_PREFIX)
        if not (form.is_valid() and items.is_valid()):
            return self.page(form, items, status=400)
        lines = [
            ItemLine(label=row.cleaned_data["label"], id=row.cleaned_data["id"])
            for row in items.ordered_forms
            if row.cleaned_data.get("label", "").strip()
        ]
        try:
            placement_settings_save(
                agency=self.agency, actor=self.actor, items=lines, **form.cleaned_data
            )
        except ValidationError as error:
            attach_errors(form, error)
            return self.page(form, items, status=400)
        messages.success(request, _("Placement settings saved."))
        return redirect("placement_settings")
