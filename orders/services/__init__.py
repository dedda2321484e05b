"""Every write of the orders app. Each service is one transaction and audited."""
