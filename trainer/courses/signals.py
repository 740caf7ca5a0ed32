"""Signals of the course content; the domains above subscribe, courses never imports them.

``version_created`` is sent by ``import_course`` (``courses import``, publishing in the
editor, a zip import) inside the transaction that made a new version, with the course as
sender and ``version=`` the new ``CourseVersion``. Learning re-judges the family's
enrolments: a version that drops the last module someone was missing completes their
course in that same request. Subscribers flush, never commit.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

version_created = _signals.signal("course-version-created")
