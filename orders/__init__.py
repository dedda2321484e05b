"""Orders (订单): every job from the first call to the paid invoice, in four wings.

- `orders.intake`: customers, the catalogue and prices, the needs form, quotes and
  confirmation, cancellation, recurring plans, callbacks; the board and the order page.
- `orders.staffing`: candidate matching, proposal, the staff card, replacement, release.
- `orders.service`: the field pages, preparation, check-in/out, the service log,
  changes and acceptance with rework.
- `orders.billing`: invoices and credit notes, payments and receipts, refunds.

Each wing has the same rooms: `models`, `services`, `selectors`, `views`, `api`,
`serializers`, `forms`, `urls` (a module, or a package where it outgrew one).

What the wings share stays at this top level, and only this:
- the order itself (`models.orders`: `Order`, `OrderEvent`, `CustomerSignature`) and
  the consumers' cursors over its events (`models.cursors`, `events`);
- its lifecycle (`lifecycle`: the allowed moves and the one function that makes one),
  its timeline notes (`timeline`) and the customer's signatures (`signatures`);
- prices and money (`pricing`), the customer's signed links (`links`, and
  `customer_link`, whose one address answers every wing's page), the order's shared
  reads (`selectors`) and API shapes (`serializers`), and the figures for reports
  (`figures`);
- the composition points: `urls` and `api` (the order's API at one URL), `tasks`,
  and the demo (`demo`).

`orders.models` registers every wing's models with Django and is where the apps above
import them from. A wing may use another wing's models, services and selectors (intake's
order page shows the team; billing invoices the approved changes) but never another
wing's views: a page that needs two wings is composed here.

May import: staff, agency. Higher apps learn what happened here from `OrderEvent`
rows, and hand facts down through the wings' services (a customer's special-attention
flag, "do not send this staff member to this customer").
"""
