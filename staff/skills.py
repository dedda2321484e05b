"""Skill codes and what a dispatcher calls them.

A skill code is what a service type names in `ServiceType.required_skills`
(orders); staff hold skills by code with a level. These are the codes of the
standard catalogue; an agency may use others, which are shown as typed.
"""

from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

# "skill" context: the same English words name certificate types, which read
# differently in Chinese (育婴证 is a certificate, 育儿 a skill).
SKILL_LABELS: dict[str, str | Promise] = {
    "cleaning": pgettext_lazy("skill", "Home cleaning"),
    "deep-cleaning": pgettext_lazy("skill", "Deep cleaning"),
    "postpartum": pgettext_lazy("skill", "Postpartum care"),
    "childcare": pgettext_lazy("skill", "Childcare"),
    "elderly-care": pgettext_lazy("skill", "Elderly care"),
    "repair": pgettext_lazy("skill", "Home repair"),
}

LEVELS = [(level, str(level)) for level in range(1, 6)]


def skill_label(code: str) -> str:
    return str(SKILL_LABELS.get(code, code))


def skill_choices(extra_codes: list[str] | tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """The standard skills, then any other code the agency uses, each with its label."""
    codes = list(SKILL_LABELS) + sorted(set(extra_codes) - set(SKILL_LABELS))
    return [(code, skill_label(code)) for code in codes]
