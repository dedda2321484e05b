"""Form widgets every app shares."""

from typing import Any

from django import forms


class DateInput(forms.DateInput):
    """The browser's date picker. Its value is always ISO (YYYY-MM-DD), whatever the page's
    language: a localised "2027/01/24" leaves an <input type="date"> empty."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None, format: str | None = None) -> None:
        super().__init__(attrs, format or "%Y-%m-%d")


class TimeInput(forms.TimeInput):
    """The browser's time picker, its value "HH:MM" (seconds would show a third field)."""

    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None, format: str | None = None) -> None:
        super().__init__(attrs, format or "%H:%M")
