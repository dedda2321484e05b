from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from agency.errors import StateConflict
from agency.models import OutboundMessage, Role
from tests.factories import StaffMemberFactory
from tests.voice.conftest import member
from voice.links import survey_link_path
from voice.models import (
    QuestionKind,
    StaffSurvey,
    SurveyAnswer,
    SurveyInvitation,
    SurveyResponse,
    SurveyStatus,
    VoiceSettings,
)
from voice.selectors import survey_results
from voice.services import (
    DEFAULT_QUESTIONS,
    add_months,
    survey_answer,
    survey_create,
    survey_open,
    surveys_sweep,
)
from voice.tasks import sweep_surveys

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def survey(world, crew, django_capture_on_commit_callbacks):
    draft = survey_create(
        agency=world.a.agency,
        actor=member(world, Role.SUPERVISOR),
        title="2026年下半年员工满意度调查",
        closes_on=date(2026, 12, 23),
    )
    with django_capture_on_commit_callbacks(execute=True):
        return survey_open(survey=draft, actor=member(world, Role.MANAGER))


def token_of(invitation):
    return survey_link_path(invitation).split("/")[-2]


def answers_for(survey, score="4", text="多一些培训"):
    return {q.pk: (score if q.kind == QuestionKind.SCORE else text) for q in survey.questions.all()}


def answer_all(survey, staff, score="4"):
    for person in staff:
        invitation = SurveyInvitation.objects.get(survey=survey, staff=person)
        assert survey_answer(token=token_of(invitation), answers=answers_for(survey, score))


def test_opening_invites_every_active_staff_member_and_sends_each_a_link(world, crew, survey):
    invited = SurveyInvitation.objects.filter(survey=survey)
    assert invited.count() == 10
    sent = OutboundMessage.objects.filter(rule="voice.survey:staff")
    assert sent.count() == 10
    invitation = invited.get(staff=crew["main"][1])
    # The token is timestamped: its payload (naming the invitation) comes first.
    payload = survey_link_path(invitation).split(":")[0]
    assert sent.filter(body__contains=payload).count() == 1
    assert survey.status == SurveyStatus.OPEN
    assert [q.text for q in survey.questions.order_by("position")] == [
        q.text for q in DEFAULT_QUESTIONS
    ]


def test_the_response_names_neither_the_staff_member_nor_the_invitation(world, crew, survey):
    answer_all(survey, crew["main"][:1])
    response_fields = {f.name for f in SurveyResponse._meta.get_fields()}
    assert response_fields == {"id", "agency", "survey", "branch", "submitted_on", "answers"}
    invitation_fields = {f.name for f in SurveyInvitation._meta.get_fields()}
    assert not any("response" in name for name in invitation_fields)
    # Only the day is kept on both sides: no time to match one to the other.
    response = SurveyResponse.objects.get()
    assert response.submitted_on == date(2026, 12, 9)
    assert SurveyInvitation.objects.get(staff=crew["main"][0]).answered_on == date(2026, 12, 9)


def test_answering_twice_writes_nothing_the_second_time(world, crew, survey, client):
    invitation = SurveyInvitation.objects.get(survey=survey, staff=crew["main"][2])
    path = survey_link_path(invitation)
    data = {f"q{pk}": value for pk, value in answers_for(survey).items()}
    first = client.post(path, data)
    assert first.status_code == 200, first.content.decode()[-1500:]
    assert "thanks" in first.content.decode()
    again = client.post(path, {f"q{pk}": "1" for pk in answers_for(survey)})
    assert again.status_code == 200
    assert "thanks" in again.content.decode()
    assert SurveyResponse.objects.count() == 1
    assert not SurveyAnswer.objects.filter(score=1).exists()
    assert survey_answer(token=token_of(invitation), answers=answers_for(survey)) is False
    assert SurveyResponse.objects.count() == 1


def test_the_phone_page_shows_the_questions_in_the_staff_members_language(
    world, crew, survey, client
):
    world.a.user(Role.STAFF).preferred_language = "en"
    world.a.user(Role.STAFF).save()
    english = SurveyInvitation.objects.get(survey=survey, staff=crew["main"][0])
    page = client.get(survey_link_path(english)).content.decode()
    assert "Does the training help you in your work?" in page
    chinese = SurveyInvitation.objects.get(survey=survey, staff=crew["main"][1])
    assert "培训对您的工作有帮助吗？" in client.get(survey_link_path(chinese)).content.decode()


def test_a_missing_score_is_refused_and_nothing_written(world, crew, survey, client):
    invitation = SurveyInvitation.objects.get(survey=survey, staff=crew["main"][3])
    response = client.post(survey_link_path(invitation), {})
    assert response.status_code == 400
    assert SurveyResponse.objects.count() == 0
    assert SurveyInvitation.objects.get(pk=invitation.pk).answered_on is None


def test_a_bad_link_is_not_found_and_a_closed_surveys_link_is_gone(world, crew, survey, client):
    assert client.get(reverse("voice_survey_link", kwargs={"token": "nonsense"})).status_code == 404
    invitation = SurveyInvitation.objects.get(survey=survey, staff=crew["main"][4])
    with time_machine.travel(datetime(2026, 12, 24, 9, 0, tzinfo=SHANGHAI)):
        response = client.get(survey_link_path(invitation))
    assert response.status_code == 410
    with pytest.raises(ValidationError):
        survey_answer(token=token_of(invitation) + "x", answers={})


def test_results_hide_groups_under_five_and_show_participation(world, crew, survey):
    answer_all(survey, crew["main"][:5], score="4")
    answer_all(survey, crew["north"][:2], score="2")
    results = survey_results(survey=survey)

    overall = results.overall
    assert (overall.invited, overall.answered, overall.responses) == (10, 7, 7)
    assert str(overall.participation) == "70.0"
    assert overall.shown
    first = overall.questions[0]
    assert str(first.average) == "3.43"  # (5×4 + 2×2) / 7
    assert overall.questions[-1].texts == ["多一些培训"] * 7

    main, north = (
        next(g for g in results.branches if g.branch == world.a.branch),
        next(g for g in results.branches if g.branch == crew["north_branch"]),
    )
    assert main.shown and str(main.questions[0].average) == "4.00"
    assert (north.invited, north.answered) == (3, 2)
    assert not north.shown
    assert north.questions == []


def test_the_whole_agency_under_five_shows_no_score(world, crew, survey, client_for):
    answer_all(survey, crew["main"][:4])
    results = survey_results(survey=survey)
    assert not results.overall.shown and results.overall.questions == []
    page = client_for(world.a.user(Role.SUPERVISOR)).get(reverse("voice_survey", args=[survey.pk]))
    assert page.status_code == 200
    assert "作答少于 5 人：不予显示。" in page.content.decode()  # a Chinese agency
    assert "多一些培训" not in page.content.decode()


def test_results_page_and_api_show_the_groups(world, crew, survey, client_for):
    answer_all(survey, crew["main"][:5])
    client = client_for(world.a.user(Role.MANAGER))
    page = client.get(reverse("voice_survey", args=[survey.pk])).content.decode()
    assert "多一些培训" in page and "4.00" in page
    data = client.get(reverse("staffsurvey-results", args=[survey.pk])).json()
    assert data["overall"]["shown"] is True
    assert data["overall"]["invited"] == 10
    north = next(g for g in data["branches"] if g["branch"] == crew["north_branch"].pk)
    assert north["shown"] is False and north["questions"] == []


def test_only_one_survey_is_open_at_a_time(world, crew, survey):
    second = survey_create(
        agency=world.a.agency,
        actor=member(world, Role.MANAGER),
        title="另一份",
        closes_on=date(2026, 12, 30),
    )
    with pytest.raises(StateConflict):
        survey_open(survey=second, actor=member(world, Role.MANAGER))
    with pytest.raises(StateConflict):
        survey_open(survey=survey, actor=member(world, Role.MANAGER))


def test_a_dispatcher_cannot_run_the_survey(world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        survey_create(
            agency=world.a.agency,
            actor=member(world, Role.DISPATCHER),
            title="x",
            closes_on=date(2026, 12, 30),
        )


def test_api_creates_a_survey_with_its_questions_and_opens_it(world, crew, client_for):
    client = client_for(world.a.user(Role.SUPERVISOR))
    created = client.post(
        reverse("staffsurvey-list"),
        {
            "title": "Pulse",
            "closes_on": "2026-12-20",
            "questions": [
                {"text": "您满意吗？", "text_en": "Are you satisfied?"},
                {"text": "建议？", "kind": "text"},
            ],
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert [q["kind"] for q in body["questions"]] == ["score", "text"]
    opened = client.post(reverse("staffsurvey-open", args=[body["id"]]))
    assert opened.status_code == 200
    assert opened.json()["status"] == "open" and opened.json()["invited"] == 10
    assert client.post(reverse("staffsurvey-open", args=[body["id"]])).status_code == 409


def test_add_months_keeps_the_day_or_the_months_last():
    assert add_months(date(2026, 6, 9), 6) == date(2026, 12, 9)
    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)


def test_the_six_monthly_sweep_closes_and_opens_the_next_from_the_last_questions(
    world, crew, django_capture_on_commit_callbacks
):
    agency = world.a.agency
    with time_machine.travel(datetime(2026, 6, 1, 9, 0, tzinfo=SHANGHAI)):
        first = survey_create(
            agency=agency,
            actor=member(world, Role.MANAGER),
            title="上半年",
            closes_on=date(2026, 6, 15),
        )
        survey_open(survey=first, actor=member(world, Role.MANAGER))
    with time_machine.travel(datetime(2026, 6, 16, 9, 0, tzinfo=SHANGHAI)):
        assert sweep_surveys() == {"closed": 1, "opened": 0}
    with time_machine.travel(datetime(2026, 11, 30, 9, 0, tzinfo=SHANGHAI)):
        assert surveys_sweep() == {"closed": 0, "opened": 0}  # not six months yet
    with time_machine.travel(datetime(2026, 12, 1, 9, 0, tzinfo=SHANGHAI)):
        with django_capture_on_commit_callbacks(execute=True):
            assert surveys_sweep() == {"closed": 0, "opened": 1}
        assert surveys_sweep() == {"closed": 0, "opened": 0}  # a second run: nothing more
    latest = StaffSurvey.objects.filter(agency=agency).order_by("-id").first()
    assert latest.status == SurveyStatus.OPEN
    assert latest.opens_on == date(2026, 12, 1) and latest.closes_on == date(2026, 12, 15)
    assert list(latest.questions.values_list("text", flat=True)) == list(
        first.questions.values_list("text", flat=True)
    )
    assert SurveyInvitation.objects.filter(survey=latest).count() == 10
    assert OutboundMessage.objects.filter(rule="voice.survey:staff").count() == 10
    assert not StaffSurvey.objects.filter(agency=world.b.agency).exists()


def test_the_sweep_leaves_an_agency_that_switched_it_off(world, crew):
    with time_machine.travel(datetime(2026, 1, 5, 9, 0, tzinfo=SHANGHAI)):
        first = survey_create(
            agency=world.a.agency,
            actor=member(world, Role.MANAGER),
            title="上半年",
            closes_on=date(2026, 1, 20),
        )
        survey_open(survey=first, actor=member(world, Role.MANAGER))
    VoiceSettings.objects.create(agency=world.a.agency, six_monthly_survey=False)
    assert surveys_sweep() == {"closed": 1, "opened": 0}
    assert StaffSurvey.objects.filter(agency=world.a.agency).count() == 1


def test_staff_who_left_are_not_invited(world, crew):
    StaffMemberFactory(agency=world.a.agency, home_branch=world.a.branch, status="left")
    draft = survey_create(
        agency=world.a.agency,
        actor=member(world, Role.MANAGER),
        title="x",
        closes_on=date(2026, 12, 20),
    )
    survey_open(survey=draft, actor=member(world, Role.MANAGER))
    assert SurveyInvitation.objects.filter(survey=draft).count() == 10
