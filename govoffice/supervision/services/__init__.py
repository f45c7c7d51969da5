"""Every write of supervision: tasks (tasks.py), inspections (inspections.py), imports (imports.py)."""
