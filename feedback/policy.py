"""The agency's feedback and revisit policy, created with the defaults the first time."""

from agency.models import Agency
from feedback.models import FeedbackPolicy


def policy_for(agency: Agency) -> FeedbackPolicy:
    return FeedbackPolicy.objects.get_or_create(agency=agency)[0]
