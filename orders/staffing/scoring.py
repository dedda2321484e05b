"""The soft score of matching: how much each thing counts for a candidate, and why.

Applied in Python to the staff who passed every hard rule (`orders.staffing.matching`),
by the same code that writes the reasons (`Scorer.parts`), so a reason never
disagrees with a score; the reasons' texts are written only for the candidates
shown.
"""

from typing import Any, NamedTuple

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from orders.models import Order
from staff.models import Gender
from staff.skills import SKILL_LABELS

PLUS = "+"
MINUS = "\N{MINUS SIGN}"

# --- soft-score weights ---------------------------------------------------------
# Points add up to the score; only the order matters, so the weights say how much
# one thing is worth against another. A reason is written for every non-zero part.

#: Per level above (or below) 3 — the level a new hire reaches after the agency's
#: basic training — averaged over the service's required skills.
SKILL_LEVEL_POINTS = 5.0
#: Per year of experience, up to EXPERIENCE_CAP_YEARS: ten years and twenty
#: years are the same to a customer.
EXPERIENCE_POINTS_PER_YEAR = 1.5
EXPERIENCE_CAP_YEARS = 10
#: Below the customer's minimum experience (a preference on the needs form, not
#: a hard rule: the dispatcher may still explain and propose).
BELOW_MIN_EXPERIENCE_POINTS = -15.0
#: Serves the customer's district (short travel, knows the area), or not.
DISTRICT_MATCH_POINTS = 8.0
DISTRICT_MISS_POINTS = -8.0
#: Ratings are shrunk towards RATING_PRIOR as if RATING_PRIOR_WEIGHT reviews of
#: that score came first (a Bayesian average): one 5-star review is not better
#: than forty 4.8s. Then RATING_POINTS per star above or below the prior.
RATING_PRIOR = 4.0
RATING_PRIOR_WEIGHT = 5
RATING_POINTS = 10.0
#: Workload balance: holding assignments in the next WORKLOAD_DAYS. Fewer than
#: BALANCED_JOBS counts for, more against, WORKLOAD_POINTS per job.
WORKLOAD_DAYS = 14
BALANCED_JOBS = 2
WORKLOAD_POINTS = 2.0
#: The customer's preferences on the needs form, met or not.
GENDER_POINTS = 6.0
LANGUAGE_POINTS = 6.0
#: Confirmed on this customer's earlier orders: the customer knows them. More
#: orders add PAST_SERVICE_EXTRA_POINTS each, up to PAST_SERVICE_MAX_POINTS.
PAST_SERVICE_POINTS = 8.0
PAST_SERVICE_EXTRA_POINTS = 2.0
PAST_SERVICE_MAX_POINTS = 14.0

# --- what the reasons say -------------------------------------------------------
# Translated when a reason is written, in the language of the request.

SKILL_LEVEL = _("Skill %(skill)s level %(level)s")
STAFF_LEVEL = _("Level %(level)s")
EXPERIENCE = ngettext_lazy("%(years)s year of experience", "%(years)s years of experience", "years")
BELOW_MIN_EXPERIENCE = ngettext_lazy(
    "%(years)s year of experience; the customer asks for %(wanted)s",
    "%(years)s years of experience; the customer asks for %(wanted)s",
    "years",
)
SERVES_DISTRICT = _("Serves %(district)s")
NOT_IN_DISTRICT = _("Does not serve the customer's district (%(district)s)")
RATED = ngettext_lazy(
    "Rated %(rating)s by %(count)s customer", "Rated %(rating)s by %(count)s customers", "count"
)
FREE = _("Free in the next %(days)s days")
BUSY = ngettext_lazy(
    "%(jobs)s job in the next %(days)s days", "%(jobs)s jobs in the next %(days)s days", "jobs"
)
GENDER_AS_WISHED = _("%(gender)s, as the customer prefers")
GENDER_NOT_AS_WISHED = _("The customer prefers %(gender)s")
SPEAKS = _("Speaks %(language)s")
DOES_NOT_SPEAK = _("Does not speak %(language)s")
SERVED_BEFORE = ngettext_lazy(
    "Served this customer before (%(visits)s order)",
    "Served this customer before (%(visits)s orders)",
    "visits",
)


class Reason(NamedTuple):
    """One line of a candidate's explanation: "+" counted for, "−" against."""

    sign: str
    text: str


class Survivor(NamedTuple):
    """The soft-score inputs of one staff member who passed every hard rule."""

    pk: int
    name: str
    gender: str
    years_experience: int
    rating: float | None
    rating_count: int
    workload: int
    visits: int
    in_district: bool
    speaks: bool
    #: The staff member's level (issue 21) and the points it adds; None and 0 without one.
    level_name: str | None
    level_bonus: int
    skill_levels: tuple[int, ...]


class Scorer:
    """The soft score of one order's survivors, and the reasons behind it.

    `parts` is the only place a weight is applied: the score is the sum of its
    points, the reasons are its messages (written only for the candidates shown).
    """

    def __init__(self, order: Order) -> None:
        needs = order.needs_form
        self.skills = list(order.service_type.required_skills)
        self.min_years = needs.min_experience_years or 0
        self.district = needs.address.district
        self.gender = needs.preferred_gender
        self.gender_label = Gender(self.gender).label if self.gender else ""
        self.language = needs.preferred_language

    def score(self, staff: Survivor) -> float:
        return sum(points for points, _message, _params in self.parts(staff))

    def reasons(self, staff: Survivor) -> list[Reason]:
        return [
            Reason(PLUS if points >= 0 else MINUS, str(message % params))
            for points, message, params in self.parts(staff)
        ]

    def parts(self, staff: Survivor) -> list[tuple[float, Promise, dict[str, Any]]]:
        parts: list[tuple[float, Promise, dict[str, Any]]] = [
            (
                SKILL_LEVEL_POINTS * (level - 3) / len(self.skills),
                SKILL_LEVEL,
                {"skill": SKILL_LABELS.get(code, code), "level": level},
            )
            for code, level in zip(self.skills, staff.skill_levels, strict=True)
        ]
        add = parts.append

        # The agency's own grading (初级…金牌): its bonus, as the manager set it (issue 21).
        if staff.level_bonus:
            add((float(staff.level_bonus), STAFF_LEVEL, {"level": staff.level_name}))

        years = staff.years_experience
        if years < self.min_years:
            add(
                (
                    BELOW_MIN_EXPERIENCE_POINTS,
                    BELOW_MIN_EXPERIENCE,
                    {"years": years, "wanted": self.min_years},
                )
            )
        elif years:
            points = EXPERIENCE_POINTS_PER_YEAR * min(years, EXPERIENCE_CAP_YEARS)
            add((points, EXPERIENCE, {"years": years}))

        if self.district:
            if staff.in_district:
                add((DISTRICT_MATCH_POINTS, SERVES_DISTRICT, {"district": self.district}))
            else:
                add((DISTRICT_MISS_POINTS, NOT_IN_DISTRICT, {"district": self.district}))

        if staff.rating is not None and staff.rating_count:
            count = staff.rating_count
            shrunk = (staff.rating * count + RATING_PRIOR * RATING_PRIOR_WEIGHT) / (
                count + RATING_PRIOR_WEIGHT
            )
            points = (shrunk - RATING_PRIOR) * RATING_POINTS
            if points:
                add((points, RATED, {"rating": staff.rating, "count": count}))

        jobs = staff.workload
        if jobs != BALANCED_JOBS:
            points = WORKLOAD_POINTS * (BALANCED_JOBS - jobs)
            add((points, BUSY if jobs else FREE, {"jobs": jobs, "days": WORKLOAD_DAYS}))

        if self.gender:
            if staff.gender == self.gender:
                add((GENDER_POINTS, GENDER_AS_WISHED, {"gender": self.gender_label}))
            else:
                add((-GENDER_POINTS, GENDER_NOT_AS_WISHED, {"gender": self.gender_label}))

        if self.language:
            if staff.speaks:
                add((LANGUAGE_POINTS, SPEAKS, {"language": self.language}))
            else:
                add((-LANGUAGE_POINTS, DOES_NOT_SPEAK, {"language": self.language}))

        visits = staff.visits
        if visits:
            points = min(
                PAST_SERVICE_POINTS + PAST_SERVICE_EXTRA_POINTS * (visits - 1),
                PAST_SERVICE_MAX_POINTS,
            )
            add((points, SERVED_BEFORE, {"visits": visits}))
        return parts
