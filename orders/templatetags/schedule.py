"""The schedule board's lane contents, written in Python: a week of a large branch is
thousands of blocks and shades, and the template engine spent more on them than the
database did (bench/schedule_board.py). Every value is escaped here."""

from collections.abc import Iterable

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from orders.schedule.selectors import Block, Lane

register = template.Library()
#: The tones a block names in words too (not by colour alone).
_FLAGGED = frozenset({"no-show", "late", "proposed"})


@register.simple_tag
def lanes(lanes: Iterable[Lane], oob: bool = False) -> SafeString:
    """Each lane: the person and their load, the track (shading, job blocks), and the slot
    where a refusal of a drop on it is shown. `oob`: to be swapped in by id (htmx)."""
    texts = _texts()
    swap = ' hx-swap-oob="true"' if oob else ""
    return mark_safe(  # noqa: S308 - every value is escaped
        "".join(
            f'<div class="lane" id="lane-{lane.staff.pk}" data-lane data-staff="{lane.staff.pk}"'
            f'{swap}><div class="lane-who"><strong>{escape(lane.staff.name)}</strong>'
            f'<span class="muted lane-load">'
            f"{escape(texts['load'] % {'hours': lane.load_hours})}</span></div>"
            f'<div class="track">{_track(lane, texts)}</div>'
            f'<div class="lane-notice" id="lane-{lane.staff.pk}-notice" aria-live="polite">'
            "</div></div>"
            for lane in lanes
        )
    )


def _texts() -> dict[str, str]:
    """The lane's words, translated once per answer rather than once per block."""
    return {
        "load": _("%(hours)s h booked"),
        "opens": escape(_("check-in from")),
        "no-show": pgettext("punctuality", "no-show"),
        "late": pgettext("punctuality", "late"),
        "proposed": _("proposed"),
    }


def _track(lane: Lane, texts: dict[str, str]) -> str:
    """The lane's shading and its job blocks (schedule.js places them by data-left/width)."""
    parts = [
        f'<span class="shade shade-{shade.kind}" data-left="{shade.left}"'
        f' data-width="{shade.width}"></span>'
        for shade in lane.shades
    ]
    parts += [_block(block, texts) for block in lane.blocks]
    return "".join(parts)


def _block(block: Block, texts: dict[str, str]) -> str:
    classes = ["block", f"tone-{block.tone}"]
    if block.travel_warning:
        classes.append("has-travel-warning")
    if block.continues_before:
        classes.append("continues-before")
    if block.continues_after:
        classes.append("continues-after")
    flag = texts.get(block.tone) if block.tone in _FLAGGED else None
    warning = (
        '<span class="block-warning" role="note">⚠ '
        + escape(
            _("Little time to travel from/to %(number)s in another district")
            % {"number": block.travel_warning}
        )
        + "</span>"
        if block.travel_warning
        else ""
    )
    return (
        f'<button type="button" class="{" ".join(classes)}" data-left="{block.left}"'
        f' data-width="{block.width}" data-order="{block.order_id}">'
        f'<span class="block-time">{block.hours}</span>'
        f'<span class="block-what">{escape(block.number)} · {escape(block.service)} · '
        f"{escape(block.district)}</span>"
        f'<span class="block-opens">{texts["opens"]} {block.opens}</span>'
        + (f'<span class="block-flag">{escape(flag)}</span>' if flag else "")
        + warning
        + "</button>"
    )
