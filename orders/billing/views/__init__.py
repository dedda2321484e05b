"""Billing's pages: the office's invoices, payments and refunds, and the customer's invoice link."""
