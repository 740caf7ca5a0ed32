"""Administration screens: institutions, accounts, people, imports, settings, the audit log.

Thin views over ``trainer.auth.services``; who may use each is decided in ``trainer.auth.policy``.
"""
