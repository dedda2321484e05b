"""Incidents on the job (事故/紧急情况), the valuables check at departure, and
data-protection incidents (issue 19): services, selectors, pages, API and figures."""
