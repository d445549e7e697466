"""Reads for the competence pages: access helpers, the catalogue, rounds and the gap analysis."""
