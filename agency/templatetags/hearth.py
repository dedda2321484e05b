from django import template
from django.http import HttpRequest

register = template.Library()


@register.simple_tag(takes_context=True)
def page_url(context: template.Context, page: int) -> str:
    """The current list's query string at another page, keeping its filters."""
    request: HttpRequest = context["request"]
    query = request.GET.copy()
    query["page"] = str(page)
    return "?" + query.urlencode()
