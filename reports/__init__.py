"""Reports: the supervisor's dashboard, the weekly satisfaction report (every Monday),
their PDFs and the CSV exports behind each KPI.

The top layer: may import complaints, feedback, orders, staff and agency, and
measures the KPIs through each app's `figures` selectors; only `config` imports it.
"""
