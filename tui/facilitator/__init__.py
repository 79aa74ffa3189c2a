"""The facilitator console (and, read-only, the observer's): clock, MSEL, teams, sim cell."""
