"""Demo feedback and revisits for `manage.py seed_demo`: what beat's sweeps would do.

The accepted demo job's customer is asked for feedback, and the revisits of
the demo orders (the 24-hour call, the thank-you letters, the callback a
customer asked for) are scheduled. Both are idempotent: a second run, or the
running beat, adds nothing.
"""

from feedback.revisits import sweep_revisits
from feedback.services import request_feedback_for_accepted_orders


def seed() -> None:
    request_feedback_for_accepted_orders()
    sweep_revisits()
