"""Staff pay (issue 21): pay rules, periods, statements, rewards and penalties."""
