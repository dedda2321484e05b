"""Writes of the staff's own voice (issue 21): the survey and suggestions.

The agencies' commitments (DESIGN.md) ask for a staff satisfaction survey every six
months, answered anonymously: an answer writes a `SurveyResponse` that names neither
the staff member nor their invitation (voice.models), and no audit entry names who
answered. Suggestions are the staff member's own, answered by a supervisor.
"""

import calendar
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agency.audit import Actor, audit_record
from agency.errors import StateConflict
from agency.idempotency import refuse_repeat, save_once
from agency.models import Agency
from agency.permissions import Area, require
from messaging.rules import Event
from messaging.services import announce
from staff.messages import staff_recipient
from staff.models import EmploymentStatus, StaffMember
from voice.links import survey_link_open, survey_links_send
from voice.models import (
    QuestionKind,
    StaffSurvey,
    Suggestion,
    SuggestionStatus,
    SurveyAnswer,
    SurveyInvitation,
    SurveyQuestion,
    SurveyResponse,
    SurveyStatus,
    VoiceSettings,
)

#: How long a survey stays open when the sweep opens it, and the default for a new one.
SURVEY_OPEN_DAYS = 14
#: DESIGN.md: a staff satisfaction survey every six months.
SURVEY_EVERY_MONTHS = 6


@dataclass(frozen=True)
class QuestionInput:
    text: str
    text_en: str = ""
    kind: str = QuestionKind.SCORE


#: The questions a new survey starts with; the agency rewords, adds or removes them.
DEFAULT_QUESTIONS: tuple[QuestionInput, ...] = (
    QuestionInput(
        "总体而言，您对在本公司工作满意吗？",
        "Overall, how satisfied are you working for the agency?",
    ),
    QuestionInput(
        "您对工资水平和按时发放满意吗？",
        "How satisfied are you with your pay, and with its being paid on time?",
    ),
    QuestionInput("派单是否公平合理？", "Are jobs given out fairly?"),
    QuestionInput("培训对您的工作有帮助吗？", "Does the training help you in your work?"),
    QuestionInput("主管是否尊重并支持您？", "Does your supervisor respect and support you?"),
    QuestionInput(
        "您最希望公司改进什么？",
        "What would you most like the agency to improve?",
        QuestionKind.TEXT,
    ),
)


class SurveyStateConflict(StateConflict):
    pass


def _may_run_surveys(actor: Actor, agency: Agency) -> None:
    require(
        actor,
        Area.STAFF_VOICE,
        agency_id=agency.pk,
        message=_("Only a supervisor or the manager runs the staff survey."),
    )


def _questions_valid(questions: Sequence[QuestionInput]) -> None:
    if not questions:
        raise ValidationError(_("A survey needs at least one question."))
    for question in questions:
        if not question.text.strip():
            raise ValidationError({"questions": _("Every question needs its Chinese text.")})
        if question.kind not in QuestionKind.values:
            raise ValidationError({"questions": _("A question is a score or a free text.")})


@transaction.atomic
def survey_create(
    *,
    agency: Agency,
    actor: Actor,
    title: str,
    closes_on: date,
    opens_on: date | None = None,
    questions: Sequence[QuestionInput] = DEFAULT_QUESTIONS,
) -> StaffSurvey:
    """A draft survey with its questions (the default set unless others are given)."""
    if actor.user is not None:
        _may_run_surveys(actor, agency)
    opens_on = opens_on or agency.today()
    if closes_on < opens_on:
        raise ValidationError({"closes_on": _("The survey cannot close before it opens.")})
    _questions_valid(questions)
    survey = StaffSurvey.objects.create(
        agency=agency, title=title.strip(), opens_on=opens_on, closes_on=closes_on
    )
    SurveyQuestion.objects.bulk_create(
        SurveyQuestion(
            agency=agency,
            survey=survey,
            position=position,
            text=question.text.strip(),
            text_en=question.text_en.strip(),
            kind=question.kind,
        )
        for position, question in enumerate(questions, start=1)
    )
    audit_record(agency=agency, actor=actor, action="voice.survey.create", target=survey)
    return survey


@transaction.atomic
def question_add(*, survey: StaffSurvey, actor: Actor, question: QuestionInput) -> SurveyQuestion:
    """One more question on a draft: an open survey's questions never change under answers."""
    _may_run_surveys(actor, survey.agency)
    survey = StaffSurvey.objects.select_for_update().get(pk=survey.pk)
    if survey.status != SurveyStatus.DRAFT:
        raise SurveyStateConflict(_("Questions change only while the survey is a draft."))
    _questions_valid([question])
    last = survey.questions.order_by("-position").values_list("position", flat=True).first()
    created = SurveyQuestion.objects.create(
        agency=survey.agency,
        survey=survey,
        position=(last or 0) + 1,
        text=question.text.strip(),
        text_en=question.text_en.strip(),
        kind=question.kind,
    )
    audit_record(agency=survey.agency, actor=actor, action="voice.question.add", target=survey)
    return created


@transaction.atomic
def survey_open(*, survey: StaffSurvey, actor: Actor) -> StaffSurvey:
    """Open a draft: every active staff member is invited and sent a signed link.

    One survey is open at a time per agency; its link is good until it closes.
    """
    agency = survey.agency
    if actor.user is not None:
        _may_run_surveys(actor, agency)
    today = agency.today()
    if not survey.questions.exists():
        raise ValidationError(_("A survey needs at least one question."))
    if survey.closes_on < today:
        raise ValidationError({"closes_on": _("The survey's last day has passed.")})
    try:
        with transaction.atomic():
            claimed = StaffSurvey.objects.filter(pk=survey.pk, status=SurveyStatus.DRAFT).update(
                status=SurveyStatus.OPEN, opens_on=today
            )
    except IntegrityError:
        raise SurveyStateConflict(
            _("Another staff survey is open: close it before opening this one.")
        ) from None
    if not claimed:
        raise SurveyStateConflict(_("Only a draft survey can be opened."))
    survey.refresh_from_db()
    now = timezone.now()
    staff = StaffMember.objects.filter(agency=agency, status=EmploymentStatus.ACTIVE)
    SurveyInvitation.objects.bulk_create(
        SurveyInvitation(
            agency=agency, survey=survey, staff=member, branch_id=member.home_branch_id, sent_at=now
        )
        for member in staff.only("pk", "home_branch_id")
    )
    audit_record(agency=agency, actor=actor, action="voice.survey.open", target=survey)
    transaction.on_commit(partial(survey_links_send, survey.pk))
    return survey


@transaction.atomic
def survey_close(*, survey: StaffSurvey, actor: Actor) -> StaffSurvey:
    """Close an open survey: its links answer "closed" from now on."""
    if actor.user is not None:
        _may_run_surveys(actor, survey.agency)
    closed = StaffSurvey.objects.filter(pk=survey.pk, status=SurveyStatus.OPEN).update(
        status=SurveyStatus.CLOSED
    )
    if not closed:
        raise SurveyStateConflict(_("Only an open survey can be closed."))
    survey.refresh_from_db()
    audit_record(agency=survey.agency, actor=actor, action="voice.survey.close", target=survey)
    return survey


def _answers_valid(
    questions: Sequence[SurveyQuestion], answers: Mapping[int, str]
) -> list[tuple[SurveyQuestion, int | None, str]]:
    cleaned: list[tuple[SurveyQuestion, int | None, str]] = []
    errors: dict[str, str] = {}
    for question in questions:
        raw = (answers.get(question.pk) or "").strip()
        if question.kind == QuestionKind.SCORE:
            if raw not in {"1", "2", "3", "4", "5"}:
                errors[f"q{question.pk}"] = _("Choose a score from 1 to 5.")
                continue
            cleaned.append((question, int(raw), ""))
        elif raw:
            cleaned.append((question, None, raw[: SurveyAnswer._meta.get_field("text").max_length]))
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def survey_answer(*, token: str, answers: Mapping[int, str]) -> bool:
    """Record one anonymous set of answers by a staff member's link; False, and nothing
    written, when this invitation has answered already (a second answer is a no-op)."""
    invitation = survey_link_open(token)
    survey = invitation.survey
    cleaned = _answers_valid(list(survey.questions.all()), answers)
    today = invitation.agency.today()
    claimed = SurveyInvitation.objects.filter(pk=invitation.pk, answered_on__isnull=True).update(
        answered_on=today
    )
    if not claimed:
        return False
    # Deliberately no audit entry: it would name who answered, beside the answer's time.
    response = SurveyResponse.objects.create(
        agency=invitation.agency, survey=survey, branch_id=invitation.branch_id, submitted_on=today
    )
    SurveyAnswer.objects.bulk_create(
        SurveyAnswer(
            agency=invitation.agency, response=response, question=question, score=score, text=text
        )
        for question, score, text in cleaned
    )
    return True


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or that month's last day when it has none."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last_day))


def surveys_sweep() -> dict[str, int]:
    """The six-monthly survey (beat): close the surveys past their last day, then open the
    next one — the last one's questions — where six months have passed since the last
    opened and the agency keeps the setting on (the default). Each agency is its own
    transaction; one open survey per agency (a constraint) keeps a second run harmless."""
    closed = opened = 0
    for survey in StaffSurvey.objects.filter(status=SurveyStatus.OPEN).select_related("agency"):
        if survey.closes_on < survey.agency.today():
            closed += StaffSurvey.objects.filter(pk=survey.pk, status=SurveyStatus.OPEN).update(
                status=SurveyStatus.CLOSED
            )
    switched_off = VoiceSettings.objects.filter(six_monthly_survey=False).values("agency_id")
    agencies = (
        Agency.objects.filter(pk__in=StaffSurvey.objects.values("agency_id"))
        .exclude(pk__in=switched_off)
        .exclude(pk__in=StaffSurvey.objects.filter(status=SurveyStatus.OPEN).values("agency_id"))
    )
    for agency in agencies:
        last = (
            StaffSurvey.objects.filter(agency=agency, status=SurveyStatus.CLOSED)
            .order_by("-opens_on", "-id")
            .first()
        )
        today = agency.today()
        if last is None or add_months(last.opens_on, SURVEY_EVERY_MONTHS) > today:
            continue
        try:
            with transaction.atomic():
                _next_survey_open(agency=agency, last=last, today=today)
        except (SurveyStateConflict, IntegrityError):
            continue  # another run opened it
        opened += 1
    return {"closed": closed, "opened": opened}


def _next_survey_open(*, agency: Agency, last: StaffSurvey, today: date) -> StaffSurvey:
    questions = [
        QuestionInput(q.text, q.text_en, q.kind) for q in last.questions.order_by("position")
    ]
    with translation.override(agency.default_language):
        title = _("Staff survey %(date)s") % {"date": today.strftime("%Y-%m")}
    survey = survey_create(
        agency=agency,
        actor=Actor.system(),
        title=title,
        opens_on=today,
        closes_on=today + timedelta(days=SURVEY_OPEN_DAYS),
        questions=questions,
    )
    return survey_open(survey=survey, actor=Actor.system())


@transaction.atomic
def voice_settings_save(*, agency: Agency, actor: Actor, six_monthly_survey: bool) -> VoiceSettings:
    """Whether the sweep opens the next survey by itself six months after the last."""
    _may_run_surveys(actor, agency)
    row, _created = VoiceSettings.objects.update_or_create(
        agency=agency, defaults={"six_monthly_survey": six_monthly_survey}
    )
    audit_record(
        agency=agency,
        actor=actor,
        action="voice.settings",
        target=row,
        changes={"six_monthly_survey": six_monthly_survey},
    )
    return row


def _repeated(suggestion: Suggestion) -> str:
    return _("This suggestion was sent already.")


@transaction.atomic
def suggestion_submit(
    *, staff: StaffMember, actor: Actor, text: str, submission_key: uuid.UUID | None = None
) -> Suggestion:
    """A field staff member's suggestion, from their own phone (the seeds' workflow 0-29)."""
    require(
        actor,
        Area.MY_JOBS,
        agency_id=staff.agency_id,
        message=_("Suggestions are written by field staff."),
    )
    if staff.user_id != actor.user.pk:  # type: ignore[union-attr]
        raise ValidationError(_("A suggestion is sent from one's own account."))
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write your suggestion.")})
    suggestions = Suggestion.objects.filter(agency_id=staff.agency_id)
    refuse_repeat(suggestions, submission_key, _repeated)
    suggestion = Suggestion(
        agency_id=staff.agency_id,
        staff=staff,
        branch_id=staff.home_branch_id,
        text=text,
        submission_key=submission_key,
    )
    suggestion.full_clean(exclude=["submission_key", "agency", "staff", "branch"])
    save_once(suggestion, suggestions, _repeated)
    audit_record(
        agency=staff.agency, actor=actor, action="voice.suggestion.submit", target=suggestion
    )
    return suggestion


@transaction.atomic
def suggestion_answer(*, suggestion: Suggestion, actor: Actor, answer: str) -> Suggestion:
    """A supervisor's answer, once; the staff member reads it on their page and is told."""
    user = require(
        actor,
        Area.STAFF_VOICE,
        agency_id=suggestion.agency_id,
        message=_("Only a supervisor or the manager answers suggestions."),
    )
    answer = answer.strip()
    if not answer:
        raise ValidationError({"answer": _("Write the answer.")})
    if len(answer) > Suggestion._meta.get_field("answer").max_length:  # type: ignore[operator]
        raise ValidationError({"answer": _("The answer is too long.")})
    answered = Suggestion.objects.filter(pk=suggestion.pk, status=SuggestionStatus.NEW).update(
        status=SuggestionStatus.ANSWERED,
        answer=answer,
        answered_by=user,
        answered_at=timezone.now(),
    )
    if not answered:
        raise StateConflict(_("This suggestion is answered already."))
    suggestion.refresh_from_db()
    audit_record(
        agency=suggestion.agency, actor=actor, action="voice.suggestion.answer", target=suggestion
    )
    transaction.on_commit(partial(_answer_send, suggestion.pk))
    return suggestion


def _answer_send(suggestion_id: int) -> None:
    suggestion = Suggestion.objects.select_related("agency", "staff__user", "staff__agency").get(
        pk=suggestion_id
    )
    announce(
        agency=suggestion.agency,
        event=Event.SUGGESTION_ANSWERED,
        key=f"suggestion:{suggestion.pk}:answered",
        context={"agency_name": suggestion.agency.name, "answer": suggestion.answer},
        staff=[staff_recipient(suggestion.staff, link=reverse("my_suggestions"))],
        topics=[f"staff:{suggestion.staff_id}"],
        reread=False,
    )
