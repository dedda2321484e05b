"""Intake's writes: each service is one transaction and audited."""
