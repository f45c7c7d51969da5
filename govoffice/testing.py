"""Constants the test suites share (kept out of conftest.py, which tests cannot import)."""

PASSWORD = "Mật-khẩu-thử-2026"  # noqa: S105  (test-only password)
