"""accmgr: a keyboard-driven terminal application for key-account managers."""

__version__ = "0.1.0"
