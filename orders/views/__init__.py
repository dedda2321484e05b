"""The orders pages: board, intake, order detail and its actions, customers, catalogue,
callbacks, approvals, and the customer's signed link."""
