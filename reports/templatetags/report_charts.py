"""The PDF shows a chart as an image of its SVG: WeasyPrint's HTML parser would read the
SVG's presentation styles as unknown CSS (a warning each); its SVG renderer reads them."""

import base64
import html
import re

from django import template
from django.utils.html import format_html

register = template.Library()


@register.filter
def as_image(svg: str) -> str:
    """An inline `<svg>` as an `<img>` with the same drawing and its label as the alt text."""
    if not svg:
        return ""
    label = re.search(r'aria-label="([^"]*)"', svg)
    data = base64.b64encode(svg.encode()).decode()
    return format_html(
        '<img class="chart" src="data:image/svg+xml;base64,{}" alt="{}">',
        data,
        html.unescape(label.group(1)) if label else "",
    )
