"""The project's own database plumbing (Django-aware, unlike govoffice.lib): the SQLite backend
with a queue for writers, and server-side binding for PostgreSQL's large inserts (ADR 0016)."""
