"""Reads of the staff's own voice: surveys, their results in groups, suggestions.

`survey_results` is what reports read for participation and scores (issue 21).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Q, QuerySet

from agency.models import Agency, Branch, User
from staff.models import StaffMember
from voice.models import (
    QuestionKind,
    StaffSurvey,
    Suggestion,
    SurveyAnswer,
    SurveyInvitation,
    SurveyQuestion,
    SurveyResponse,
)

#: DESIGN.md: results only in groups of at least five, so no one's answers can be told.
MIN_GROUP = 5


def surveys_for(*, agency: Agency) -> QuerySet[StaffSurvey]:
    return (
        StaffSurvey.objects.filter(agency=agency)
        .annotate(
            invited=Count("invitations", distinct=True),
            answered=Count(
                "invitations", filter=Q(invitations__answered_on__isnull=False), distinct=True
            ),
        )
        .order_by("-opens_on", "-id")
    )


@dataclass
class QuestionResult:
    question: SurveyQuestion
    #: Scores: the average to two places and how many gave one.
    average: Decimal | None = None
    scored: int = 0
    #: Free text: every answer, in no particular order.
    texts: list[str] = field(default_factory=list)


@dataclass
class GroupResult:
    """The whole agency (branch None) or one branch."""

    branch: Branch | None
    invited: int
    answered: int
    responses: int
    questions: list[QuestionResult]

    @property
    def shown(self) -> bool:
        return self.responses >= MIN_GROUP

    @property
    def participation(self) -> Decimal | None:
        """Answered of invited, in per cent to one place."""
        if not self.invited:
            return None
        rate = Decimal(self.answered * 100) / Decimal(self.invited)
        return rate.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class SurveyResults:
    survey: StaffSurvey
    overall: GroupResult
    branches: list[GroupResult]


def survey_results(*, survey: StaffSurvey) -> SurveyResults:
    """Participation, per-question averages and text answers, overall and per branch.

    A group (the agency, or a branch) with fewer than MIN_GROUP responses keeps its
    participation but shows no score nor text: its `questions` are empty.
    """
    questions = list(survey.questions.order_by("position", "id"))
    invitations = (
        SurveyInvitation.objects.filter(survey=survey)
        .values("branch_id")
        .annotate(invited=Count("id"), answered=Count("id", filter=Q(answered_on__isnull=False)))
    )
    invited = {row["branch_id"]: (row["invited"], row["answered"]) for row in invitations}
    responses = dict(
        SurveyResponse.objects.filter(survey=survey)
        .values("branch_id")
        .annotate(n=Count("id"))
        .values_list("branch_id", "n")
    )
    branch_ids = sorted(set(invited) | set(responses))
    shown_ids = {pk for pk in branch_ids if responses.get(pk, 0) >= MIN_GROUP}
    total_responses = sum(responses.values())

    answers = SurveyAnswer.objects.filter(response__survey=survey)
    averages: dict[tuple[int | None, int], tuple[Decimal | None, int]] = {}
    for row in (
        answers.filter(score__isnull=False)
        .values("question_id")
        .annotate(average=Avg("score"), n=Count("id"))
    ):
        averages[(None, row["question_id"])] = (row["average"], row["n"])
    for row in (
        answers.filter(score__isnull=False, response__branch_id__in=shown_ids)
        .values("response__branch_id", "question_id")
        .annotate(average=Avg("score"), n=Count("id"))
    ):
        averages[(row["response__branch_id"], row["question_id"])] = (row["average"], row["n"])
    texts: dict[tuple[int | None, int], list[str]] = defaultdict(list)
    has_text = any(q.kind == QuestionKind.TEXT for q in questions)
    if has_text and total_responses >= MIN_GROUP:
        for branch_id, question_id, text in (
            answers.exclude(text="")
            .order_by("question_id", "text")
            .values_list("response__branch_id", "question_id", "text")
        ):
            texts[(None, question_id)].append(text)
            if branch_id in shown_ids:
                texts[(branch_id, question_id)].append(text)

    def group(
        branch_id: int | None,
        branch: Branch | None,
        n_invited: int,
        n_answered: int,
        n_responses: int,
    ) -> GroupResult:
        result = GroupResult(branch, n_invited, n_answered, n_responses, [])
        if result.shown:
            for question in questions:
                average, scored = averages.get((branch_id, question.pk), (None, 0))
                result.questions.append(
                    QuestionResult(
                        question,
                        Decimal(average).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
                        if average is not None
                        else None,
                        scored,
                        texts.get((branch_id, question.pk), []),
                    )
                )
        return result

    branches = Branch.objects.in_bulk(branch_ids)
    overall = group(
        None,
        None,
        sum(n for n, _ in invited.values()),
        sum(a for _, a in invited.values()),
        total_responses,
    )
    per_branch = [
        group(pk, branches[pk], *invited.get(pk, (0, 0)), responses.get(pk, 0))
        for pk in sorted(branch_ids, key=lambda pk: (branches[pk].name, pk))
    ]
    return SurveyResults(survey=survey, overall=overall, branches=per_branch)


def suggestions_for(*, agency: Agency, status: str | None = None) -> QuerySet[Suggestion]:
    suggestions = Suggestion.objects.filter(agency=agency).select_related(
        "staff", "branch", "answered_by"
    )
    return suggestions.filter(status=status) if status else suggestions


def staff_of_user(*, agency: Agency, user: User) -> StaffMember | None:
    return StaffMember.objects.filter(agency=agency, user=user).select_related("agency").first()


def suggestions_of_staff_user(*, agency: Agency, user: User) -> QuerySet[Suggestion]:
    return Suggestion.objects.filter(agency=agency, staff__user=user)
