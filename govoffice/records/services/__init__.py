"""Every write of the office's document work, one module per part of it."""
