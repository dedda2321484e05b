"""The staff's own voice (issue 21): the six-monthly staff satisfaction survey and suggestions."""
