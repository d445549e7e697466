"""Læra — a workplace learning system for offices and municipalities."""
