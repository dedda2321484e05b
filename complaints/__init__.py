"""Complaints (投诉): the complaint log, the agency's SLA policy and its clocks, each
deadline, escalations (timed, claimed by beat's sweep) and the follow-up.

May import: feedback, orders, staff, agency. A hard complaint's satisfaction
follow-up is a revisit (`feedback.complaint_revisits`); a customer's
special-attention flag and "do not send" go down through
`orders.intake.services.customers`, a penalty through `staff.services.records`.
"""
