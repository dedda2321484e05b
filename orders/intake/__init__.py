"""Intake (接单): from the customer's call to a confirmed order.

Customers and their addresses, the catalogue and price list, the needs form
(客户需求表), quotes and the customer's confirmation, cancellation with its fee and
approval, recurring plans and callbacks. Its pages hold the order board and the order
page, which shows what every wing has done with the order.
"""
