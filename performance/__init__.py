"""Staff performance (issue 21): scorecards per staff member and branch, levels and promotions."""
