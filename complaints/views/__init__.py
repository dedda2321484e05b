"""The complaint pages, one module per page: the desk, taking a complaint, the complaint
page and its actions, the log and its CSV, the SLA policy; `deadline_states` says how a
deadline is shown on all of them."""
