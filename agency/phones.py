"""Phone numbers, as customers and staff alike are known by them."""


def normalise_phone(raw: str) -> str:
    """Digits (and a leading +) only, so "138 0013-8000" and "13800138000" are one phone."""
    raw = raw.strip()
    digits = "".join(ch for ch in raw if ch.isdigit())
    return f"+{digits}" if raw.startswith("+") else digits
