"""Intake's pages: the board, the needs form, the order page, customers, the catalogue,
callbacks and approvals."""
