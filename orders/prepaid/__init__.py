"""The prepaid wing of orders (储值卡 and 套餐): products the agency sells, the cards its
customers hold, each card's ledger, paying an invoice from a balance, refunds of what is
left, and expiry.

May import: the orders top level, the billing wing's services and models (a balance pays
an invoice through `orders.billing.services.payment_accept`), messaging, agency; never
another wing's views.
"""
