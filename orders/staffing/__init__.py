"""Staffing (派工): who serves an order.

Candidate matching by hard rules and a score (`matching`, `scoring`), the proposal and
the customer's answer (the staff card link, or by phone), replacement (换人) and release.
"""
