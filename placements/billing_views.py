"""The placement page's billing action: terminating early, settled on the spot."""

from typing import Any, ClassVar

from django.utils.translation import gettext as _

from agency.action_views import ActionMixin
from agency.permissions import Area
from placements.billing import placement_terminate
from placements.billing_forms import TerminateForm
from placements.models import Placement
from placements.views import PlacementDetailView


class PlacementTerminateView(ActionMixin, PlacementDetailView):
    """A manager terminates the placement; bad input shows the page again with the form."""

    area = Area.CONTRACTS
    page_name = "placement_detail"
    form_class: ClassVar[type[TerminateForm]] = TerminateForm
    form_context_name = "terminate_form"

    def act(self, placement: Placement, form: Any) -> str:
        settlement = placement_terminate(placement=placement, actor=self.actor, **form.cleaned_data)
        return _(
            "Placement terminated: %(credited)s credited, %(returned)s of the deposit to refund."
        ) % {
            "credited": settlement.credited,
            "returned": settlement.deposit_returned,
        }
