"""Orders (订单), from the first call to the accepted job, and billing as a wing.

Holds customers, the catalogue and price list, orders with their needs form,
quotes, timeline (`OrderEvent`) and lifecycle (`orders.lifecycle`, the one place a
status changes), cancellation, recurring plans, callbacks, candidate matching,
assignment, the service log and changes, and acceptance. `orders.billing` is the
first wing (invoices, credit notes, payments and receipts, refunds); intake,
staffing and service are to follow. The wings share only what stays at this top
level: the order, its events and its lifecycle. A wing never imports another
wing's views.

May import: staff, agency. Higher apps learn what happened here from `OrderEvent`
rows, and hand facts down through `orders.services` (a customer's special-attention
flag, "do not send this staff member to this customer").
"""
