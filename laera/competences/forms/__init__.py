"""Forms for the competence pages, one module per part: catalogues, rounds, gaps."""
