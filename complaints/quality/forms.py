"""The quality pages' forms: checklists, plans, an inspection's scores; and the risk
register's form (a manager writes a plan, text and/or a PDF). Choices of related objects
come from the active agency."""

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agency.bounds import PLAUSIBLE_DATE, TEXT_MAX_LENGTH
from agency.idempotency import submission_key_field
from agency.models import Agency, Branch, Membership, User
from agency.widgets import DateInput
from complaints.forms import AttachmentsField
from complaints.models import (
    Checklist,
    ChecklistItem,
    InspectionPlan,
    PlanKind,
    RiskKind,
)
from complaints.models.quality import ITEM_MAX_SCORE
from orders.models import Order
from staff.models import StaffMember

#: Blank rows under a checklist's items, for new ones.
BLANK_ITEM_ROWS = 5


def members_of(agency: Agency) -> QuerySet[User]:
    return User.objects.filter(
        pk__in=Membership.objects.filter(agency=agency, is_active=True).values("user")
    ).order_by("username")


class ChecklistItemRowForm(forms.Form):
    """One item of a checklist; a row left empty is left out."""

    label = forms.CharField(label=_("item"), max_length=200, required=False)
    max_score = forms.IntegerField(
        label=_("maximum score"), min_value=1, max_value=ITEM_MAX_SCORE, required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        missing = data.get("label", "").strip() and data.get("max_score") is None
        if missing and "max_score" not in self.errors:
            self.add_error("max_score", _("Give the item its maximum score."))
        return data


class BaseChecklistItemFormSet(forms.BaseFormSet):
    def rows(self) -> list[tuple[str, int]]:
        return [
            (form.cleaned_data["label"], form.cleaned_data["max_score"])
            for form in self.forms
            if form.cleaned_data.get("label", "").strip()
        ]


ChecklistItemFormSet = forms.formset_factory(
    ChecklistItemRowForm,
    formset=BaseChecklistItemFormSet,
    extra=BLANK_ITEM_ROWS,
    max_num=50,
    validate_max=True,
)


class ChecklistForm(forms.Form):
    """A checklist's name; editing, also the items to retire."""

    name = forms.CharField(label=_("name"), max_length=100)
    retire = forms.ModelMultipleChoiceField(
        label=_("retire items"),
        queryset=ChecklistItem.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A retired item is no longer scored; past inspections keep its scores."),
    )

    def __init__(self, *args: Any, checklist: Checklist | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if checklist is None:
            del self.fields["retire"]
        else:
            retire = cast(forms.ModelMultipleChoiceField, self.fields["retire"])
            retire.queryset = ChecklistItem.objects.filter(
                agency_id=checklist.agency_id, checklist=checklist, is_active=True
            )


class PlanForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=PlanKind.choices)
    starts_on = forms.DateField(
        label=_("period starts"),
        widget=DateInput(),
        validators=PLAUSIBLE_DATE,
        help_text=_("The first day of the month, or of the quarter."),
    )
    checklist = forms.ModelChoiceField(label=_("checklist"), queryset=Checklist.objects.none())
    jobs_planned = forms.IntegerField(label=_("jobs to inspect"), min_value=1, max_value=1000)
    branch = forms.ModelChoiceField(
        label=_("branch"), queryset=Branch.objects.none(), required=False
    )
    staff = forms.ModelChoiceField(
        label=_("staff member"),
        queryset=StaffMember.objects.none(),
        required=False,
        help_text=_("A plan covers a branch or one staff member."),
    )
    inspector = forms.ModelChoiceField(
        label=_("inspector"), queryset=User.objects.none(), required=False
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = {
            "checklist": Checklist.objects.filter(agency=agency, is_active=True),
            "branch": Branch.objects.filter(agency=agency, is_active=True),
            "staff": StaffMember.objects.filter(agency=agency).order_by("name"),
            "inspector": members_of(agency),
        }
        for name, queryset in choices.items():
            cast(forms.ModelChoiceField, self.fields[name]).queryset = queryset


class InspectionForm(forms.Form):
    """An inspected job: the order by its number, who did it, a score per checklist item.

    The checklist is chosen before the form (its items are the form's score fields)."""

    order = forms.CharField(
        label=_("order number"), max_length=30, help_text=_("The inspected job.")
    )
    staff = forms.ModelChoiceField(
        label=_("staff member"),
        queryset=StaffMember.objects.none(),
        help_text=_("One of the staff assigned to the order."),
    )
    notes = forms.CharField(
        label=_("notes"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=TEXT_MAX_LENGTH,
        required=False,
    )
    photos = AttachmentsField(
        label=_("photos"), required=False, help_text=_("JPEG or PNG, at most 5 MB each.")
    )
    submission_key = submission_key_field()

    def __init__(
        self,
        *args: Any,
        agency: Agency,
        items: list[ChecklistItem],
        plan: InspectionPlan | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.agency = agency
        self.items = items
        staff = cast(forms.ModelChoiceField, self.fields["staff"])
        staff.queryset = StaffMember.objects.filter(agency=agency).order_by("name")
        if plan is not None and plan.staff_id is not None:
            self.initial.setdefault("staff", plan.staff_id)
        for item in items:
            # The service names the item in the same words when it refuses a score.
            out_of_range = gettext("%(item)s: the score must be from 0 to %(max)s.") % {
                "item": item.label,
                "max": item.max_score,
            }
            self.fields[self.score_field(item)] = forms.IntegerField(
                label=item.label,
                min_value=0,
                max_value=item.max_score,
                help_text=_("out of %(max)s") % {"max": item.max_score},
                error_messages={
                    "min_value": out_of_range,
                    "max_value": out_of_range,
                    "required": gettext("%(item)s: give a score.") % {"item": item.label},
                },
            )

    @staticmethod
    def score_field(item: ChecklistItem) -> str:
        return f"score_{item.pk}"

    @property
    def score_fields(self) -> list[forms.BoundField]:
        return [self[self.score_field(item)] for item in self.items]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        number = data.get("order", "").strip()
        order = Order.objects.filter(agency=self.agency, number=number).first() if number else None
        if number and order is None:
            self.add_error("order", _("No order of this agency has this number."))
        data["order"] = order
        data["scores"] = {
            item.pk: data[self.score_field(item)]
            for item in self.items
            if data.get(self.score_field(item)) is not None
        }
        return data


class RiskDocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("risk"), choices=RiskKind.choices)
    title = forms.CharField(label=_("title"), max_length=200)
    plan_text = forms.CharField(label=_("plan"), widget=forms.Textarea, required=False)
    file = forms.FileField(label=_("plan (PDF)"), required=False)
    owner = forms.ModelChoiceField(label=_("owner"), queryset=User.objects.none())
    review_by = forms.DateField(label=_("review by"), widget=DateInput())

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = cast(forms.ModelChoiceField, self.fields["owner"])
        owner.queryset = members_of(agency)
