"""Thin views of the cohorts blueprint, one module per subject; addresses in ``routes``."""
