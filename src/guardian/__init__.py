"""Guardian: offline-first parental controls for the family computer."""

__version__ = "0.1.0"
