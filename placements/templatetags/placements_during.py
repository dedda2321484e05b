"""The placement page's follow-up panel (issue 20): its briefing, the start, the trial
answers and the check-ins, read here so the placement page's view stays the terms'."""

from typing import Any

from django import template

from feedback.models import Revisit
from placements.during import briefing_items
from placements.during_forms import BriefingForm, TrialReplaceForm
from placements.during_trial import replacements_used, trial_decisions
from placements.models import Briefing, Placement, PlacementStatus

register = template.Library()


@register.inclusion_tag("placements/during/panel.html", takes_context=True)
def during_panel(context: template.Context) -> dict[str, Any]:
    placement: Placement = context["placement"]
    agency = placement.agency
    briefing = Briefing.objects.filter(agency=agency, placement=placement).first()
    items = briefing.items if briefing and briefing.done_at else briefing_items(agency)
    initial = (
        {"ticked": briefing.ticked, "staff_present": briefing.staff_present} if briefing else {}
    )
    decisions = trial_decisions(agency=agency, placement=placement)
    return {
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
        "placement": placement,
        "briefing": briefing,
        "briefing_form": context.get("briefing_form") or BriefingForm(items=items, initial=initial),
        "can_brief": placement.status
        in (PlacementStatus.DRAFT, PlacementStatus.SIGNING, PlacementStatus.SIGNED),
        "can_start": placement.status == PlacementStatus.SIGNED,
        "decisions": decisions,
        "replacements_used": replacements_used(placement),
        "awaiting_replacement": any(
            d.choice == "replace" and d.replacement_id is None for d in decisions
        ),
        "trial_replace_form": context.get("trial_replace_form")
        or TrialReplaceForm(placement=placement),
        "check_ins": Revisit.objects.filter(
            agency=agency, source__startswith=f"placement-{placement.pk}-check-in-"
        ).order_by("due_at"),
    }
