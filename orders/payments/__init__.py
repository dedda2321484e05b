"""Online payment (issue 18): WeChat Pay and Alipay checkouts for an invoice, the providers'
signed notifications, refunds sent to the provider, and the daily reconciliation."""
