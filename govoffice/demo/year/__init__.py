"""The demo year: one generator per area, run in order by run.py."""
