"""Quality inspections (质检) and the risk register (issue 19): services, selectors, pages,
API and the review-reminder sweep, in the rooms every app has."""
