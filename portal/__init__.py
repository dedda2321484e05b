"""The customer's own portal (issue 18): `/c/<agency>/` pages and `/api/portal/<agency>/`.

A customer has no account: they sign in to one agency with their phone and a code
texted to it (`portal.codes`), and the session holds one entry per agency
(`portal.session`), so a customer of two agencies never sees both mixed. Every
page and endpoint reads through `portal.selectors`, scoped to (agency, customer).
The top layer: it may import every app below and nothing imports it.
"""
