"""Reports: read-only queries over every domain, for the screens, exports and API of
coordinators and trainers.

Nothing here writes, and no other domain imports reports. Every query function takes the
actor and narrows people with ``trainer.auth.policy.scope_people`` (``scope.py``), so a
coordinator only ever counts the people of their own institution; each runs a fixed number
of aggregate SQL queries whatever the number of participants, and returns plain frozen
dataclasses that a page, a CSV or XLSX export (``exports.py``) and an API serialise alike:
the screen and the export come from one query function.
"""
