"""The staff member's signed link to answer the staff survey (issue 21), and its sending.

The token names the invitation only; the link is good while its survey is open.
"""

from functools import partial

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _

from agency.signed_links import Purpose, SignatureInvalid, sign, unsign
from messaging.rules import Event
from messaging.services import announce
from orders.messages import site_url
from staff.messages import staff_recipient
from voice.models import StaffSurvey, SurveyInvitation, SurveyStatus

#: Expires with its survey (closed, or past its last day), not by age.
SURVEY_LINK = Purpose("hearth.voice.survey")


class SurveyClosed(ValidationError):
    """The survey of a valid link is no longer open."""


def survey_link_path(invitation: SurveyInvitation) -> str:
    return reverse("voice_survey_link", kwargs={"token": sign(SURVEY_LINK, {"i": invitation.pk})})


def survey_link_open(token: str) -> SurveyInvitation:
    """The invitation a link answers; a closed survey refused as such, a bad link as not valid."""
    try:
        payload = unsign(SURVEY_LINK, token)
        invitation = SurveyInvitation.objects.select_related("survey", "agency", "staff__user").get(
            pk=payload["i"]
        )
    except (SignatureInvalid, KeyError, TypeError, SurveyInvitation.DoesNotExist) as error:
        raise ValidationError(_("This link is not valid any more.")) from error
    survey = invitation.survey
    if survey.status != SurveyStatus.OPEN or survey.closes_on < invitation.agency.today():
        raise SurveyClosed(_("This survey is closed. Thank you all the same."))
    return invitation


def survey_links_send(survey_id: int) -> int:
    """Send each invited staff member their link (after the survey opened); once per person."""
    survey = StaffSurvey.objects.select_related("agency").get(pk=survey_id)
    invitations = SurveyInvitation.objects.filter(survey=survey).select_related(
        "staff__user", "staff__agency"
    )
    sent = 0
    for invitation in invitations:
        path = survey_link_path(invitation)
        announce(
            agency=survey.agency,
            event=Event.STAFF_SURVEY,
            key=f"survey:{survey.pk}:{invitation.staff_id}",
            context=partial(_survey_context, survey, site_url(path)),
            staff=[staff_recipient(invitation.staff, link=path)],
            topics=[f"staff:{invitation.staff_id}"],
            reread=False,
        )
        sent += 1
    return sent


def _survey_context(survey: StaffSurvey, link: str, language: str) -> dict[str, str]:
    with translation.override(language):
        closes_on = formats.date_format(survey.closes_on, "DATE_FORMAT")
    return {
        "agency_name": survey.agency.name,
        "survey_title": survey.title,
        "closes_on": closes_on,
        "link": link,
    }
