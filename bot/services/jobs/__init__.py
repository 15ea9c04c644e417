"""Vacancies: the job catalogue, the vacancy data and its import, search, the scam guard and the search flow."""
