"""The office's forms for revisits: logging a call, assigning it, and the queue's filters.

The customer's own feedback form lives with its page in `feedback/views.py`.
"""

from datetime import date, timedelta
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from agency.bounds import PLAUSIBLE_DATE
from agency.models import Agency, Membership, User
from agency.permissions import OFFICE
from agency.widgets import DateInput
from feedback.models import Revisit, RevisitOutcome

#: How the queue's assignee filter names "my revisits" and "nobody's yet".
MINE = "mine"
UNASSIGNED = "none"


def office_members(agency: Agency) -> list[User]:
    """The people who may log and be given revisits (one query)."""
    return [
        membership.user
        for membership in Membership.objects.filter(agency=agency, role__in=OFFICE, is_active=True)
        .select_related("user")
        .order_by("user__username")
    ]


def member_label(user: User) -> str:
    return user.get_full_name() or user.username


class RevisitLogForm(forms.Form):
    """What came of a call: a phone survey's score only from a customer who was reached
    (DESIGN.md, "Feedback and revisits": staff never enter the customer's form)."""

    outcome = forms.ChoiceField(
        label=_("outcome"), choices=RevisitOutcome.choices, widget=forms.RadioSelect
    )
    notes = forms.CharField(
        label=_("notes"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 1})
    )
    satisfaction = forms.TypedChoiceField(
        label=_("satisfaction on the phone (1–5)"),
        choices=[("", "—"), *[(n, str(n)) for n in range(1, 6)]],
        coerce=int,
        empty_value=None,
        required=False,
    )
    next_step = forms.CharField(label=_("next step"), required=False, max_length=300)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("satisfaction") is not None and data.get("outcome") != RevisitOutcome.REACHED:
            self.add_error("satisfaction", _("A score is given by a customer you reached."))
        return data


class RevisitAssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label=_("assignee"), queryset=User.objects.none())

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["assignee"]
        # Only this agency's office: another agency's user cannot be attached.
        field.queryset = User.objects.filter(
            memberships__agency=agency,
            memberships__role__in=OFFICE,
            memberships__is_active=True,
        ).distinct()


class RevisitAssignTickedForm(RevisitAssignForm):
    """The queue's one assign form: a member of the office, and the revisits ticked."""

    revisit = forms.ModelMultipleChoiceField(
        label=_("revisits"),
        queryset=Revisit.objects.none(),
        error_messages={"required": _("Tick the revisits to assign.")},
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, agency=agency, **kwargs)
        field: Any = self.fields["revisit"]
        field.queryset = Revisit.objects.filter(agency=agency)


class ResultsPeriodForm(forms.Form):
    """The period of the feedback results, both days included."""

    start = forms.DateField(label=_("from"), widget=DateInput(), validators=PLAUSIBLE_DATE)
    end = forms.DateField(label=_("to"), widget=DateInput(), validators=PLAUSIBLE_DATE)

    #: The period when none is given: the last 30 days, today included.
    DEFAULT_DAYS = 30

    @classmethod
    def default_period(cls, today: date) -> tuple[date, date]:
        return today - timedelta(days=cls.DEFAULT_DAYS - 1), today

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise ValidationError(_("The period ends before it starts."))
        if start and end and (end - start).days > 366:
            raise ValidationError(_("Choose a period of at most a year."))
        return data
