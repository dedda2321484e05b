"""Personal data shown in part: enough for the office to recognise, not to dial.

Lives in agency so that every app (orders' customers, messaging's log) masks the same way.
"""


def mask_phone(phone: str) -> str:
    """138****8000: enough to recognise on a call, not enough to dial."""
    if len(phone) <= 7:
        return "*" * len(phone)
    return f"{phone[:3]}{'*' * (len(phone) - 7)}{phone[-4:]}"
