import uuid

import pytest
from django.urls import reverse

from agency.models import OutboundMessage, Role
from tests.factories import SuggestionFactory
from voice.models import Suggestion, SuggestionStatus


@pytest.fixture
def staff_client(world, crew, client_for):
    return client_for(world.a.user(Role.STAFF))


def test_staff_member_sends_a_suggestion_once_and_sees_it(world, crew, staff_client):
    key = str(uuid.uuid4())
    data = {"text": "希望冬天能配发护手霜", "submission_key": key}
    assert staff_client.post(reverse("my_suggestions"), data).status_code == 302
    assert staff_client.post(reverse("my_suggestions"), data).status_code == 302  # double click
    suggestion = Suggestion.objects.get()
    assert suggestion.staff == crew["main"][0] and suggestion.branch == world.a.branch
    assert "希望冬天能配发护手霜" in staff_client.get(reverse("my_suggestions")).content.decode()


def test_a_suggestion_is_bounded(world, crew, staff_client):
    data = {"text": "长" * 5001, "submission_key": str(uuid.uuid4())}
    assert staff_client.post(reverse("my_suggestions"), data).status_code == 400
    assert not Suggestion.objects.exists()


def test_supervisor_answers_and_the_staff_member_reads_and_is_told(
    world, crew, staff_client, client_for, django_capture_on_commit_callbacks
):
    suggestion = SuggestionFactory(agency=world.a.agency, staff=crew["main"][0])
    supervisor = client_for(world.a.user(Role.SUPERVISOR))
    assert "护手霜" in supervisor.get(reverse("voice_suggestions")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = supervisor.post(
            reverse("voice_suggestion_answer", args=[suggestion.pk]), {"answer": "下周发放"}
        )
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.ANSWERED
    assert suggestion.answered_by == world.a.user(Role.SUPERVISOR)
    told = OutboundMessage.objects.get(rule="voice.suggestion_answered:staff", channel="sms")
    assert "下周发放" in told.body
    page = client_for(world.a.user(Role.STAFF)).get(reverse("my_suggestions")).content.decode()
    assert "下周发放" in page


def test_a_second_answer_is_refused(world, crew, client_for):
    suggestion = SuggestionFactory(agency=world.a.agency)
    api = client_for(world.a.user(Role.MANAGER))
    url = reverse("suggestion-reply-answer", args=[suggestion.pk])
    first = api.post(url, {"answer": "好的"}, content_type="application/json")
    assert first.status_code == 200 and first.json()["status"] == "answered"
    second = api.post(url, {"answer": "改了"}, content_type="application/json")
    assert second.status_code == 409
    suggestion.refresh_from_db()
    assert suggestion.answer == "好的"


def test_roles_field_staff_cannot_answer_and_office_cannot_post(world, crew, client_for):
    suggestion = SuggestionFactory(agency=world.a.agency)
    staff = client_for(world.a.user(Role.STAFF))
    answer = reverse("suggestion-reply-answer", args=[suggestion.pk])
    assert staff.post(answer, {"answer": "x"}, content_type="application/json").status_code == 403
    assert staff.get(reverse("voice_suggestions")).status_code == 403
    assert staff.get(reverse("suggestion-list")).status_code == 403
    dispatcher = client_for(world.a.user(Role.DISPATCHER))
    body = {"text": "x"}
    assert (
        dispatcher.post(
            reverse("suggestion-list"), body, content_type="application/json"
        ).status_code
        == 403
    )


def test_another_agencys_suggestion_is_not_found(world, crew, client_for):
    theirs = SuggestionFactory(agency=world.b.agency)
    manager = client_for(world.a.user(Role.MANAGER))
    response = manager.post(reverse("voice_suggestion_answer", args=[theirs.pk]), {"answer": "x"})
    assert response.status_code == 404
    api = manager.post(
        reverse("suggestion-reply-answer", args=[theirs.pk]),
        {"answer": "x"},
        content_type="application/json",
    )
    assert api.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == SuggestionStatus.NEW
    assert [s["id"] for s in manager.get(reverse("suggestion-list")).json()["results"]] == []


def test_api_field_staff_posts_and_supervisor_lists(world, crew, client_for):
    staff = client_for(world.a.user(Role.STAFF))
    posted = staff.post(
        reverse("suggestion-list"),
        {"text": "排班表能早两天发吗"},
        content_type="application/json",
        headers={"Idempotency-Key": str(uuid.uuid4())},
    )
    assert posted.status_code == 201, posted.content
    listed = client_for(world.a.user(Role.SUPERVISOR)).get(reverse("suggestion-list"))
    assert [s["text"] for s in listed.json()["results"]] == ["排班表能早两天发吗"]
