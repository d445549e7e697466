"""Writes to the competence catalogue, requirements, mapping rounds, assessments and qualifications.

Modules by subject: `catalogues` (catalogue, scale, areas, competences, requirements, templates,
import), `rounds` (rounds, participants, assessments, reminders, qualifications) and `evidence` (gaps
sent to the input round, competences linked to learning outcomes). Every write is atomic and audited.
"""
