"""govoffice: the digital work of a government office."""

__version__ = "0.1.0"
