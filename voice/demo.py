"""Demo of the staff's own voice for `manage.py seed_demo` (issue 21), through the services.

In each agency: last half-year's survey, closed, answered by five staff of the first
branch and two of the second (so its page shows a branch's results and a branch
"not shown"); this half-year's survey, open; three suggestions from the staff login,
one answered by the supervisor. Safe to run again: an agency with surveys is left as is.
"""

from datetime import timedelta

from django.utils import translation

from agency.audit import Actor
from agency.demo import in_language
from agency.models import Agency, Branch, User
from staff.models import EmploymentStatus, StaffMember
from voice.links import survey_link_path
from voice.models import QuestionKind, StaffSurvey, SurveyInvitation
from voice.services import (
    suggestion_answer,
    suggestion_submit,
    survey_answer,
    survey_close,
    survey_create,
    survey_open,
)

#: Scores the demo's respondents give, one row a person (the questions' order).
SCORES = ("4", "5", "3", "4", "4", "2", "5")
COMMENTS = (
    ("希望多安排一些母婴护理培训", "More training in newborn care, please"),
    ("派单可以再提前一点通知", "Tell us about jobs a little earlier"),
    ("", ""),
    ("冬天上门能配发护手霜", "Hand cream for winter jobs"),
    ("主管很照顾我们", "Our supervisor looks after us well"),
    ("路途补贴希望提高", "A higher travel allowance"),
    ("", ""),
)


def seed() -> None:
    for agency in Agency.objects.filter(slug__in=["anxin", "sunrise"]):
        if StaffSurvey.objects.filter(agency=agency).exists():
            continue
        with translation.override(agency.default_language):
            _surveys(agency)
            _suggestions(agency)


def _surveys(agency: Agency) -> None:
    manager = Actor(user=User.objects.get(username=f"{agency.slug}.manager"))
    today = agency.today()
    last = survey_create(
        agency=agency,
        actor=manager,
        title=in_language(agency, "上半年员工满意度调查", "Staff survey, first half-year"),
        closes_on=today + timedelta(days=14),
    )
    survey_open(survey=last, actor=manager)
    branches = list(Branch.objects.filter(agency=agency).order_by("code"))
    respondents = [
        *_staff_of(agency, branches[0])[:5],
        *(_staff_of(agency, branches[1])[:2] if len(branches) > 1 else []),
    ]
    for index, staff in enumerate(respondents):
        invitation = SurveyInvitation.objects.get(survey=last, staff=staff)
        token = survey_link_path(invitation).rstrip("/").rsplit("/", 1)[-1]
        comment = in_language(agency, *COMMENTS[index % len(COMMENTS)])
        answers = {
            q.pk: (SCORES[index % len(SCORES)] if q.kind == QuestionKind.SCORE else comment)
            for q in last.questions.all()
        }
        survey_answer(token=token, answers=answers)
    survey_close(survey=last, actor=manager)
    # Backdated to four months ago, so the six-monthly sweep is two months off.
    StaffSurvey.objects.filter(pk=last.pk).update(
        opens_on=today - timedelta(days=120), closes_on=today - timedelta(days=106)
    )
    current = survey_create(
        agency=agency,
        actor=manager,
        title=in_language(agency, "员工心声快速调查", "Staff pulse survey"),
        closes_on=today + timedelta(days=14),
    )
    survey_open(survey=current, actor=manager)


def _staff_of(agency: Agency, branch: Branch) -> list[StaffMember]:
    return list(
        StaffMember.objects.filter(
            agency=agency, home_branch=branch, status=EmploymentStatus.ACTIVE
        ).order_by("pk")
    )


def _suggestions(agency: Agency) -> None:
    login = User.objects.filter(username=f"{agency.slug}.staff").first()
    staff = StaffMember.objects.filter(agency=agency, user=login).first() if login else None
    if staff is None:
        return
    actor = Actor(user=login)
    texts = (
        ("希望排班表能提前两天发布", "Could the rota come out two days earlier?"),
        ("建议门店准备一些备用工具包", "Spare tool kits at the branch would help"),
        ("能否组织一次育婴师考证培训", "Could we have a course for the childcare certificate?"),
    )
    made = [
        suggestion_submit(staff=staff, actor=actor, text=in_language(agency, zh, en))
        for zh, en in texts
    ]
    supervisor = Actor(user=User.objects.get(username=f"{agency.slug}.supervisor"))
    suggestion_answer(
        suggestion=made[0],
        actor=supervisor,
        answer=in_language(
            agency,
            "好的，从下个月起每周四发布下一周的排班表。",
            "Yes: from next month the rota comes out every Thursday for the week after.",
        ),
    )
