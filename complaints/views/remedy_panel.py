"""The remedies panel of the complaint page (`complaints/remedies/_panel.html`): what the
complaint detail view adds to its context, kept apart so the action views can import it."""

from typing import Any

from agency.models import Agency
from complaints import remedy_selectors
from complaints.models import CompensationStatus, Complaint, SolutionStatus, Tier
from complaints.remedy_forms import (
    ChargeForm,
    CompensationDecideForm,
    CompensationProposeForm,
    InspectionRecordForm,
    InspectionScheduleForm,
    SolutionOfferForm,
)

#: The remedy forms on the complaint page, by context name; those taking the agency.
FORMS: dict[str, type] = {
    "offer_form": SolutionOfferForm,
    "compensation_form": CompensationProposeForm,
    "charge_form": ChargeForm,
    "inspection_form": InspectionScheduleForm,
}
WITH_AGENCY = frozenset({CompensationProposeForm, InspectionScheduleForm})


def _form(form_class: type, agency: Agency, **kwargs: Any) -> Any:
    if form_class in WITH_AGENCY:
        kwargs["agency"] = agency
    return form_class(**kwargs)


def remedy_context(
    complaint: Complaint, *, agency: Agency, given: dict[str, Any]
) -> dict[str, Any]:
    """What the complaint page's remedies panel shows: the records and the unbound forms
    (a rejected form, in `given`, is shown instead of a fresh one)."""
    forms = {
        name: given[name] if name in given else _form(form_class, agency, auto_id=f"id_{name}_%s")
        for name, form_class in FORMS.items()
    }
    return {
        **forms,
        **remedy_selectors.remedies_of(complaint),
        "record_form": InspectionRecordForm(auto_id="id_record_form_%s"),
        "decide_form": CompensationDecideForm(auto_id="id_decide_form_%s"),
        "is_hard": complaint.tier == Tier.HARD,
        "offered": SolutionStatus.OFFERED,
        "proposed": CompensationStatus.PROPOSED,
    }
