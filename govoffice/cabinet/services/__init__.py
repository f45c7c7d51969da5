"""Every write of the e-cabinet: meetings.py (sessions), ballots.py (written ballots), files.py."""
