"""The messaging pages: the agency's templates and its message log (managers)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
