from django import template
from django.utils.dates import WEEKDAYS

from staff.skills import skill_label as label_of

register = template.Library()


@register.filter
def skill_label(code: str) -> str:
    """A skill code as the dispatcher calls it ("childcare" → 育儿)."""
    return label_of(code)


@register.filter
def weekday_name(weekday: int) -> str:
    """0 → Monday (星期一), in the page's language."""
    return str(WEEKDAYS.get(weekday, weekday))
