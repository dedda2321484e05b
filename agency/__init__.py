"""The shared core: tenants and the people in them, and the plumbing every app uses.

Holds agencies and their settings and targets, branches, memberships and roles,
the role table every page, API view and service asks (`agency.permissions`), the
audit log, tenant resolution and the base page and API views, and the plumbing
first needed by one app and now shared by all: document numbering, upload checks,
signed links, PDF rendering and built documents, idempotent creates, the outbox (SMS,
email).

The lowest layer (DESIGN.md, "Architecture"): imports no other app of Hearth, only
the Celery wiring of `config` (/health/ reads the header the tasks carry).
"""
