"""Confide: a record system for therapy practices, confidential by construction."""

__version__ = "0.1.0"
