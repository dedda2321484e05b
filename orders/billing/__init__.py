"""The billing wing of orders (收费): invoices and credit notes from accepted orders
and approved fees, payments with their receipts, refunds, and their PDF documents.

May import: the orders top level (the order, its events, its lifecycle, the price
list), staff, agency; never another wing's views.
"""
