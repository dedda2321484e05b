"""Office attendance (issue 21): office roles clock in and out; late and absent days per month."""
