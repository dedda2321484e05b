"""Service's pages: the field staff's jobs, the office's acceptance sign-off, and the
customer's signed link for acceptance and changes."""
