"""Customer feedback and revisits (回访).

Holds the feedback request sent when an order is accepted, the answer only the
customer gives (through a signed link), and the revisits: timed calls and letters
after the service, periodic revisits, callbacks, low-score and complaint
follow-ups, each due by the agency's policy and claimed by beat's sweep.

May import: orders, staff, agency. Accepted orders arrive as `OrderEvent` rows;
a staff member's rating goes down through `staff.services`.
"""
