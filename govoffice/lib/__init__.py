"""Helpers that know nothing of Django: text folding, working days, codes, errors."""
