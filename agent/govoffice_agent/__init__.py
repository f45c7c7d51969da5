"""govoffice-agent: an agency's client for the national document hub. Speaks HTTP only."""

__version__ = "0.1.0"
