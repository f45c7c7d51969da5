"""The browser fixtures (browser, page) moved to govoffice/conftest.py, shared by every app's browser tests."""
