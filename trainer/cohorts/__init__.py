"""Cohorts: deliveries of a course family, their training sessions and attendance.

Stands on courses and auth; learning stands on cohorts and hears from it through
``trainer.cohorts.signals``.
"""
