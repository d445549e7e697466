"""Helpers for Læra's own test suite. Imported only by tests; needs the `dev` extras."""
