"""Field staff (服务人员): who they are, what they can do and prove, when they work.

Holds staff records, skills and levels, certificates with their expiry, trainings
and assessments, the working pattern, time off, and the rating and penalties that
higher apps hand down through `staff.services` (feedback, complaints).

May import: agency.
"""
