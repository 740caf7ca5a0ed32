"""Every route x every kind of user -> exactly one expected status.

A route registered in the app but missing here fails the suite: whoever adds a route adds
its row, and so decides who may use it.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

from tests.sessions import log_in, use_api_token
from trainer.auth.models import Role

ACTORS = (
    "anonymous",
    "participant_a_enrolled",
    "participant_a",
    "participant_b",
    "trainer_owner",
    "trainer_other",
    "cohort_trainer",
    "coordinator_a",
    "coordinator_b",
    "programme_coordinator",
    "admin",
)


@dataclass
class Scenario:
    """Two institutions and one user of each kind; objects later rows point at."""

    users: dict
    institution_a: object
    institution_b: object
    objects: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Row:
    endpoint: str
    method: str
    path: Callable[[Scenario], str]
    # One status per actor, in the order of ACTORS.
    expected: tuple[int, ...]
    data: Callable[[Scenario], dict] | None = None
    # The JSON API: each actor sends their own API token (those who hold one: coordinators)
    # and no log-in cookie; the others send nothing.
    bearer: bool = False


def _all(status: int) -> tuple[int, ...]:
    return (status,) * len(ACTORS)


def _logged_in(status: int, anonymous: int = 302) -> tuple[int, ...]:
    return (anonymous,) + (status,) * (len(ACTORS) - 1)


ROWS: list[Row] = [
    Row("static", "GET", lambda s: "/static/css/trainer.css", _all(200)),
    Row("main.healthz", "GET", lambda s: "/healthz", _all(200)),
    Row("main.index", "GET", lambda s: "/", _logged_in(200)),
    Row(
        "main.set_language", "POST", lambda s: "/language", _all(302), lambda s: {"language": "es"}
    ),
    Row("auth.login", "GET", lambda s: "/login", (200,) + (302,) * 10),
    Row("auth.login", "POST", lambda s: "/login", (200,) + (302,) * 10),
    Row("auth.logout", "POST", lambda s: "/logout", _all(302)),
    Row("auth.change_password", "GET", lambda s: "/account/password", _logged_in(200)),
    Row("auth.change_password", "POST", lambda s: "/account/password", _logged_in(200)),
    # Each person sees and ends only their own log-ins: an id that is not theirs is 404.
    Row("auth.sessions", "GET", lambda s: "/account/sessions", _logged_in(200)),
    Row("auth.end_session", "POST", lambda s: "/account/sessions/999999/end", _logged_in(404)),
    Row(
        "auth.end_other_sessions", "POST", lambda s: "/account/sessions/end-others", _logged_in(302)
    ),
    Row("auth.set_password", "GET", lambda s: "/set-password/not-a-token", _all(410)),
    Row("auth.set_password", "POST", lambda s: "/set-password/not-a-token", _all(410)),
    Row("auth.forgot_password", "GET", lambda s: "/forgot-password", _all(404)),
    Row("auth.forgot_password", "POST", lambda s: "/forgot-password", _all(404)),
    # Course content. An open course is readable by everybody logged in; a course whose
    # audience is institution A is refused to participants of B.
    Row("learning.course", "GET", lambda s: "/courses/open-course", _logged_in(200)),
    Row(
        "learning.module", "GET", lambda s: "/courses/open-course/modules/module-1", _logged_in(200)
    ),
    Row(
        "learning.module",
        "GET",
        lambda s: "/courses/course-for-a/modules/module-1",
        (302, 200, 200, 403, 200, 200, 200, 200, 200, 200, 200),
    ),
    Row(
        "learning.asset",
        "GET",
        lambda s: "/courses/open-course/assets/missing.png",
        _logged_in(404),
    ),
    Row(
        "learning.asset",
        "GET",
        lambda s: "/courses/course-for-a/assets/missing.png",
        (302, 404, 404, 403, 404, 404, 404, 404, 404, 404, 404),
    ),
]


def _courses(make, scenario: Scenario) -> None:
    owner = scenario.users["trainer_owner"].email
    scenario.objects["open_course"] = make.course("open-course", owners=(owner,))
    scenario.objects["course_for_a"] = make.course(
        "course-for-a", owners=(owner,), audience=("institution-a",)
    )


# Scenario builders added by domains: each takes (make, scenario) and adds objects.
SCENARIO_HOOKS: list[Callable] = [_courses]


# Learning. participant_a_enrolled is enrolled in the open course and has an attempt open at
# module-2's quiz. Only participants enrol, study and take quizzes (staff get 403); an
# unpublished course, or one whose audience leaves out the participant's institution, is
# refused; somebody else's attempt is "not found" (404), even with its token.
def _learning(make, scenario: Scenario) -> None:
    from trainer.courses.services import current_modules
    from trainer.learning import attempts, services

    owner = scenario.users["trainer_owner"].email
    unpublished = make.course("unpublished-course", owners=(owner,))
    unpublished.is_published = False
    participant = scenario.users["participant_a_enrolled"]
    course = scenario.objects["open_course"]
    enrolment = services.enrol(participant, course)
    quiz_module = next(m for m in current_modules(course) if m.slug == "module-2")
    attempt = attempts.start_attempt(participant, enrolment, course, quiz_module)
    # Plain values: requests may expire the attempt object in the shared test session.
    scenario.objects["attempt_id"] = attempt.id
    scenario.objects["attempt_token"] = attempt.token


_PARTICIPANTS_ONLY = (302, 302, 302, 302, 403, 403, 403, 403, 403, 403, 403)
_ENROLLED_ONLY = (302, 302, 403, 403, 403, 403, 403, 403, 403, 403, 403)
# Nobody but its people and admins reads a course before it is published, not even its title.
_UNPUBLISHED = (302, 403, 403, 403, 200, 403, 403, 403, 403, 403, 200)


def _attempt(s: Scenario) -> str:
    return f"/attempts/{s.objects['attempt_id']}"


SCENARIO_HOOKS.append(_learning)
ROWS += [
    Row("learning.catalogue", "GET", lambda s: "/courses", _logged_in(200)),
    Row("learning.enrol", "POST", lambda s: "/courses/open-course/enrol", _PARTICIPANTS_ONLY),
    Row(
        "learning.enrol",
        "POST",
        lambda s: "/courses/course-for-a/enrol",
        (302, 302, 302, 403, 403, 403, 403, 403, 403, 403, 403),
    ),
    Row(
        "learning.enrol",
        "POST",
        lambda s: "/courses/unpublished-course/enrol",
        (302, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403),
    ),
    Row(
        "learning.course",
        "GET",
        lambda s: "/courses/course-for-a",
        (302, 200, 200, 403, 200, 200, 200, 200, 200, 200, 200),
    ),
    Row("learning.course", "GET", lambda s: "/courses/unpublished-course", _UNPUBLISHED),
    Row(
        "learning.module",
        "GET",
        lambda s: "/courses/unpublished-course/modules/module-1",
        _UNPUBLISHED,
    ),
    Row("learning.withdraw", "POST", lambda s: "/courses/open-course/withdraw", _PARTICIPANTS_ONLY),
    Row(
        "learning.complete",
        "POST",
        lambda s: "/courses/open-course/modules/module-1/complete",
        _ENROLLED_ONLY,
    ),
    Row(
        "learning.start",
        "POST",
        lambda s: "/courses/open-course/modules/module-2/attempts",
        _ENROLLED_ONLY,
    ),
    Row("learning.attempt", "GET", _attempt, (302, 200) + (404,) * 9),
    # Without the attempt's token: the owner's form is refused (400).
    Row("learning.submit", "POST", _attempt, (302, 400) + (404,) * 9),
    # With it: the owner's answers are scored; an anonymous visitor's become a draft (302 to
    # the log-in page); anybody else still finds nothing.
    Row(
        "learning.submit",
        "POST",
        _attempt,
        (302, 302) + (404,) * 9,
        lambda s: {"attempt_token": s.objects["attempt_token"], "q-q-2": "true"},
    ),
]


# Administration (/admin) and the programme's logo. Admin screens refuse every other role
# with 403; the People screens are for coordinators and admins; a person outside a
# coordinator's institutions is answered with 404, as if they did not exist.
_ADMIN_PAGE = (302, 403, 403, 403, 403, 403, 403, 403, 403, 403, 200)
_ADMIN_POST = (302, 403, 403, 403, 403, 403, 403, 403, 403, 403, 302)
_STAFF_PAGE = (302, 403, 403, 403, 403, 403, 403, 200, 200, 200, 200)
_STAFF_404 = (302, 403, 403, 403, 404, 404, 404, 404, 404, 404, 404)
_new_emails = itertools.count(1)


def _admin(make, scenario: Scenario) -> None:
    from tests.admin.images import png
    from trainer.auth import programme

    programme.update_programme_settings(
        scenario.users["admin"],
        programme_name="Programme",
        default_timezone="America/Guayaquil",
        signatories=[],
        logo=programme.Logo("logo.png", png()),
    )


def _institution_b(s: Scenario) -> str:
    return f"/admin/institutions/{s.institution_b.id}"


def _user(actor: str) -> Callable[[Scenario], str]:
    return lambda s: f"/admin/users/{s.users[actor].id}"


def _link(actor: str) -> Callable[[Scenario], str]:
    return lambda s: f"/admin/people/{s.users[actor].id}/password-link"


SCENARIO_HOOKS.append(_admin)
ROWS += [
    Row("admin.index", "GET", lambda s: "/admin/", _ADMIN_PAGE),
    Row("admin.institutions", "GET", lambda s: "/admin/institutions", _ADMIN_PAGE),
    Row("admin.new_institution", "GET", lambda s: "/admin/institutions/new", _ADMIN_PAGE),
    Row(
        "admin.new_institution",
        "POST",
        lambda s: "/admin/institutions/new",
        _ADMIN_POST,
        lambda s: {"name": "New", "slug": "new-institution", "country": "EC", "kind": "ngo"},
    ),
    Row("admin.edit_institution", "GET", _institution_b, _ADMIN_PAGE),
    Row(
        "admin.edit_institution",
        "POST",
        _institution_b,
        _ADMIN_POST,
        lambda s: {"name": "B", "slug": "institution-b", "country": "PE", "kind": "agency"},
    ),
    Row(
        "admin.deactivate_institution",
        "POST",
        lambda s: _institution_b(s) + "/deactivate",
        _ADMIN_POST,
    ),
    Row(
        "admin.reactivate_institution",
        "POST",
        lambda s: _institution_b(s) + "/reactivate",
        _ADMIN_POST,
    ),
    Row("admin.users", "GET", lambda s: "/admin/users", _ADMIN_PAGE),
    Row("admin.new_user", "GET", lambda s: "/admin/users/new", _ADMIN_PAGE),
    Row(
        "admin.new_user",
        "POST",
        lambda s: "/admin/users/new",
        _ADMIN_POST,
        lambda s: {"email": "new-trainer@example.org", "full_name": "T", "role": "trainer"},
    ),
    Row("admin.edit_user", "GET", _user("participant_b"), _ADMIN_PAGE),
    Row(
        "admin.edit_user",
        "POST",
        _user("participant_b"),
        _ADMIN_POST,
        lambda s: {
            "email": s.users["participant_b"].email,
            "full_name": "Renamed",
            "role": "participant",
            "institution": str(s.institution_b.id),
        },
    ),
    Row(
        "admin.deactivate_user",
        "POST",
        lambda s: _user("participant_b")(s) + "/deactivate",
        _ADMIN_POST,
    ),
    Row(
        "admin.reactivate_user",
        "POST",
        lambda s: _user("participant_b")(s) + "/reactivate",
        _ADMIN_POST,
    ),
    Row("admin.people", "GET", lambda s: "/admin/people", _STAFF_PAGE),
    Row("admin.new_person", "GET", lambda s: "/admin/people/new", _STAFF_PAGE),
    Row(
        "admin.new_person",
        "POST",
        lambda s: "/admin/people/new",
        (302, 403, 403, 403, 403, 403, 403, 302, 302, 302, 302),
        lambda s: {
            "email": f"new-person-{next(_new_emails)}@example.org",
            "full_name": "New Person",
            "institution": str(s.institution_a.id),
        },
    ),
    Row(
        "admin.password_link",
        "POST",
        _link("participant_b"),
        (302, 403, 403, 403, 403, 403, 403, 404, 302, 302, 302),
    ),
    Row(
        "admin.password_link",
        "POST",
        _link("participant_a"),
        (302, 403, 403, 403, 403, 403, 403, 302, 404, 302, 302),
    ),
    # A trainer belongs to no institution: no coordinator sees them.
    Row(
        "admin.password_link",
        "POST",
        _link("trainer_owner"),
        (302, 403, 403, 403, 403, 403, 403, 404, 404, 404, 302),
    ),
    Row("admin.import_people", "GET", lambda s: "/admin/people/import", _STAFF_PAGE),
    Row("admin.import_people", "POST", lambda s: "/admin/people/import", _STAFF_PAGE),
    Row("admin.programme_settings", "GET", lambda s: "/admin/settings", _ADMIN_PAGE),
    Row(
        "admin.programme_settings",
        "POST",
        lambda s: "/admin/settings",
        _ADMIN_POST,
        lambda s: {"programme_name": "Programme", "default_timezone": "America/Lima"},
    ),
    Row("admin.audit_log", "GET", lambda s: "/admin/audit", _ADMIN_PAGE),
    # Mails: each person's choices; unsubscribing by a signed link (a forged one is 404);
    # the admins' outbox.
    Row("notifications.account", "GET", lambda s: "/account/notifications", _logged_in(200)),
    Row("notifications.account", "POST", lambda s: "/account/notifications", _logged_in(302)),
    Row("notifications.unsubscribe", "GET", lambda s: "/unsubscribe/forged.token", _all(404)),
    Row("notifications.unsubscribe_post", "POST", lambda s: "/unsubscribe/forged", _all(404)),
    Row("notifications.outbox", "GET", lambda s: "/admin/outbox", _ADMIN_PAGE),
    Row(
        "notifications.retry",
        "POST",
        lambda s: "/admin/outbox/999999/retry",
        (302, 403, 403, 403, 403, 403, 403, 403, 403, 403, 404),
    ),
    Row("programme.logo", "GET", lambda s: "/programme/logo", _all(200)),
]


# Authoring (the course editor). open-course is trainer_owner's: its editor, versions and
# exports are for owners, co-authors and admins; every other user gets 403. draft-course was
# created in the browser by trainer_owner and never published: the draft's course.yml names
# its owner. Any trainer or admin may create courses and import zips.
_AUTHOR = (302, 403, 403, 403, 200, 200, 200, 403, 403, 403, 200)
_EDITOR = (302, 403, 403, 403, 200, 403, 403, 403, 403, 403, 200)
_EDITOR_REDIRECT = (302, 403, 403, 403, 302, 403, 403, 403, 403, 403, 302)
_EDITOR_NOT_FOUND = (302, 403, 403, 403, 404, 403, 403, 403, 403, 403, 404)


def _authoring(make, scenario: Scenario) -> None:
    from flask import current_app

    from trainer.authoring.drafts import create_course

    create_course(
        scenario.users["trainer_owner"],
        current_app.config["COURSES_DIR"],
        slug="draft-course",
        title="Draft course",
        summary="Not published yet.",
        language="en",
        version="1",
        estimated_hours=None,
    )


def _edit(path: str = "") -> Callable[[Scenario], str]:
    return lambda s: f"/courses/open-course/edit{path}"


SCENARIO_HOOKS.append(_authoring)
ROWS += [
    Row("authoring.index", "GET", lambda s: "/authoring", _AUTHOR),
    Row("authoring.new_course", "GET", lambda s: "/authoring/courses/new", _AUTHOR),
    Row("authoring.new_course", "POST", lambda s: "/authoring/courses/new", _AUTHOR),
    Row("versions.import_new", "GET", lambda s: "/authoring/import", _AUTHOR),
    Row("versions.import_new", "POST", lambda s: "/authoring/import", _AUTHOR),
    Row("authoring.editor", "GET", _edit(), _EDITOR),
    Row("authoring.editor", "GET", lambda s: "/courses/draft-course/edit", _EDITOR),
    Row(
        "learning.course",
        "GET",
        lambda s: "/courses/draft-course",
        (302, 403, 403, 403, 403, 403, 403, 403, 403, 403, 200),
    ),
    Row("authoring.settings", "GET", _edit("/settings"), _EDITOR),
    Row("authoring.settings", "POST", _edit("/settings"), _EDITOR),
    Row("authoring.add_module", "POST", _edit("/modules"), _EDITOR),
    Row("authoring.module", "GET", _edit("/modules/module-1"), _EDITOR),
    Row("authoring.module", "POST", _edit("/modules/module-1"), _EDITOR),
    Row(
        "authoring.preview",
        "POST",
        _edit("/preview"),
        _EDITOR,
        lambda s: {"module": "module-1", "source": "---\ntitle: M\nminutes: 5\n---\nText\n"},
    ),
    Row("authoring.move_module", "POST", _edit("/modules/module-1/move"), _EDITOR_REDIRECT),
    Row("authoring.delete_module", "POST", _edit("/modules/missing/delete"), _EDITOR_NOT_FOUND),
    Row("authoring.upload_asset", "POST", _edit("/assets"), _EDITOR),
    Row(
        "authoring.delete_asset",
        "POST",
        _edit("/assets/delete"),
        _EDITOR_NOT_FOUND,
        lambda s: {"name": "missing.png"},
    ),
    Row("authoring.draft_asset", "GET", _edit("/assets/missing.png"), _EDITOR_NOT_FOUND),
    Row("versions.publish", "POST", _edit("/publish"), _EDITOR_REDIRECT),
    Row("versions.discard", "POST", _edit("/discard"), _EDITOR_REDIRECT),
    Row("versions.import_into", "POST", _edit("/import"), _EDITOR),
    Row("versions.history", "GET", lambda s: "/courses/open-course/versions", _EDITOR),
    Row("versions.diff", "GET", lambda s: "/courses/open-course/versions/diff", _EDITOR),
    Row("versions.export", "GET", lambda s: "/courses/open-course/export", _EDITOR),
]


# Cohorts. "cohort-course" (owned by trainer_owner) has a mixed cohort, open to institutions
# A and B, trained by cohort_trainer, with participant_a (A) and participant_b (B) as members
# and a session going on now; trainer_other trains another cohort of the same course. The
# course's owner, programme coordinators and admins run cohorts; a cohort's trainers see and
# mark all its members; an institution's coordinator sees only their own institution's.
def _cohorts(make, scenario: Scenario) -> None:
    from datetime import date, timedelta

    from trainer.cohorts import services
    from trainer.cohorts.models import TrainingSession
    from trainer.dbtypes import utcnow
    from trainer.extensions import db

    users = scenario.users
    owner = users["trainer_owner"]
    course = make.course("cohort-course", owners=(owner.email,))
    today = date.today()
    cohort = services.create_cohort(
        owner,
        course,
        name="Mixed cohort",
        starts_on=today - timedelta(days=30),
        ends_on=today + timedelta(days=30),
        timezone="America/Guayaquil",
        institutions=[scenario.institution_a, scenario.institution_b],
        trainers=[users["cohort_trainer"]],
    )
    other = services.create_cohort(
        owner,
        course,
        name="Other cohort",
        starts_on=today - timedelta(days=30),
        ends_on=today + timedelta(days=30),
        timezone="America/Guayaquil",
        open_to_all=True,
        trainers=[users["trainer_other"]],
    )
    for person in (users["participant_a"], users["participant_b"]):
        services.add_member(owner, cohort, person)
    now = utcnow()
    session = TrainingSession(
        cohort=cohort,
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=1),
        place="Room 1",
    )
    db.session.add(session)
    db.session.flush()
    scenario.objects.update(cohort_id=cohort.id, other_cohort_id=other.id, session_id=session.id)


SCENARIO_HOOKS.append(_cohorts)


# Attendance at the mixed cohort's session. Its trainers and the people who run it (the
# course's owner, programme coordinators, admins) see every member and mark them; the
# coordinators of A and of B each see their own institution's members only, read-only: they
# may open the roster and print the sheet (listing their people, not the other
# institution's), never record. Another cohort's trainer and participants get 403; a session
# named under another cohort's address is 404 for everybody.
_SEES_ROSTER = (302, 403, 403, 403, 200, 403, 200, 200, 200, 200, 200)
_MARKS = (302, 403, 403, 403, 200, 403, 200, 403, 403, 200, 200)
_MARKS_REDIRECT = (302, 403, 403, 403, 302, 403, 302, 403, 403, 302, 302)


def _session(path: str, cohort: str = "cohort_id") -> Callable[[Scenario], str]:
    return lambda s: f"/cohorts/{s.objects[cohort]}/sessions/{s.objects['session_id']}/{path}"


ROWS += [
    Row("cohorts.roster", "GET", _session("attendance"), _SEES_ROSTER),
    Row(
        "cohorts.roster",
        "POST",
        _session("attendance"),
        _MARKS_REDIRECT,
        lambda s: {f"status-{s.users['participant_a'].id}": "present"},
    ),
    Row("cohorts.roster", "GET", _session("attendance", "other_cohort_id"), _logged_in(404)),
    Row("cohorts.roster", "POST", _session("attendance", "other_cohort_id"), _logged_in(404)),
    Row(
        "cohorts.roster",
        "GET",
        lambda s: f"/cohorts/999999/sessions/{s.objects['session_id']}/attendance",
        _logged_in(404),
    ),
    Row("cohorts.sheet_pdf", "GET", _session("sheet.pdf"), _SEES_ROSTER),
    Row("cohorts.sheet_pdf", "GET", _session("sheet.pdf", "other_cohort_id"), _logged_in(404)),
    Row("cohorts.sheet_entry", "GET", _session("sheet"), _MARKS),
    # Without lines, the form asks for them; with them (tests/test_hostile_routes.py), saved.
    Row("cohorts.sheet_entry", "POST", _session("sheet"), _MARKS),
    Row("cohorts.sheet_entry", "GET", _session("sheet", "other_cohort_id"), _logged_in(404)),
]


# Running cohorts. Besides the mixed cohort, "Cohort for A" is open to institution A only
# (B's coordinator and participants never see it) and "Other cohort" has a session of its
# own, which no address of the mixed cohort reaches (404).
def _cohort_pages(make, scenario: Scenario) -> None:
    from datetime import date, time, timedelta

    from trainer.cohorts import services, sessions
    from trainer.cohorts.models import Cohort
    from trainer.extensions import db

    owner = scenario.users["trainer_owner"]
    mixed = db.session.get(Cohort, scenario.objects["cohort_id"])
    other = db.session.get(Cohort, scenario.objects["other_cohort_id"])
    today = date.today()
    for_a = services.create_cohort(
        owner,
        mixed.course,
        name="Cohort for A",
        starts_on=today,
        ends_on=today + timedelta(days=60),
        timezone="America/Guayaquil",
        institutions=[scenario.institution_a],
    )
    when = {"day": today + timedelta(days=7), "start": time(9), "end": time(12)}
    a_session = sessions.schedule_session(owner, for_a, place="Room A", **when)
    other_session = sessions.schedule_session(owner, other, place="Room 2", **when)
    scenario.objects.update(
        a_cohort_id=for_a.id, a_session_id=a_session.id, other_session_id=other_session.id
    )


def _cohort(path: str = "", key: str = "cohort_id") -> Callable[[Scenario], str]:
    return lambda s: f"/cohorts/{s.objects[key]}{path}"


def _in_session(path: str = "", cohort: str = "cohort_id", session: str = "session_id"):
    return lambda s: f"/cohorts/{s.objects[cohort]}/sessions/{s.objects[session]}{path}"


# Seen by the course's owner, the cohort's trainers, programme coordinators, admins, and the
# coordinators of both institutions the mixed cohort is open to; read by its members too.
_SEES_MIXED = (302, 403, 403, 403, 200, 403, 200, 200, 200, 200, 200)
_MEMBERS_READ_MIXED = (302, 403, 200, 200, 200, 403, 200, 200, 200, 200, 200)
_SEES_FOR_A = (302, 403, 403, 403, 200, 403, 403, 200, 403, 200, 200)

# Running a cohort (editing it, its sessions, starting and closing it) is for the course's
# owner, programme coordinators and admins. Picking members from a list of people, or
# importing a file of them, is for those who may list people: coordinators (B's only for a
# cohort open to B, and only B's people) and admins; other trainers get 403.
_MANAGES = (302, 403, 403, 403, 200, 403, 403, 403, 403, 200, 200)
_MANAGES_REDIRECT = (302, 403, 403, 403, 302, 403, 403, 403, 403, 302, 302)
_PICKS_MIXED = (302, 403, 403, 403, 403, 403, 403, 200, 200, 200, 200)
_STAFF_ONLY = (302, 403, 403, 403, 200, 200, 200, 200, 200, 200, 200)


def _id(actor: str) -> Callable[[Scenario], str]:
    return lambda s: str(s.users[actor].id)


def _cohort_fields(s: Scenario) -> dict:
    """Valid fields for "Cohort for A" (dates around its session, open to A)."""
    from datetime import date, timedelta

    today = date.today()
    return {
        "name": "Cohort for A, renamed",
        "starts_on": today.isoformat(),
        "ends_on": (today + timedelta(days=60)).isoformat(),
        "timezone": "America/Guayaquil",
        "institutions": [str(s.institution_a.id)],
        "trainers": _id("cohort_trainer")(s),
    }


def _session_fields(s: Scenario) -> dict:
    from datetime import date

    return {"day": date.today().isoformat(), "start": "09:00", "end": "12:00", "place": "Room 3"}


SCENARIO_HOOKS.append(_cohort_pages)
ROWS += [
    Row("cohorts.index", "GET", lambda s: "/cohorts", _STAFF_ONLY),
    Row("cohorts.new_cohort", "GET", lambda s: "/courses/cohort-course/cohorts/new", _MANAGES),
    Row(
        "cohorts.new_cohort",
        "POST",
        lambda s: "/courses/cohort-course/cohorts/new",
        _MANAGES_REDIRECT,
        lambda s: {**_cohort_fields(s), "name": "New cohort", "open_to_all": "y"},
    ),
    Row(
        "cohorts.new_cohort",
        "GET",
        lambda s: "/courses/no-such-course/cohorts/new",
        _logged_in(404),
    ),
    Row("cohorts.cohort", "GET", _cohort(), _SEES_MIXED),
    Row("cohorts.cohort", "GET", _cohort(key="a_cohort_id"), _SEES_FOR_A),
    # Open to every institution: both coordinators see it; it is trainer_other's.
    Row(
        "cohorts.cohort",
        "GET",
        _cohort(key="other_cohort_id"),
        (302, 403, 403, 403, 200, 200, 403, 200, 200, 200, 200),
    ),
    Row("cohorts.cohort", "GET", lambda s: "/cohorts/999999", _logged_in(404)),
    Row("cohorts.edit_cohort", "GET", _cohort("/edit"), _MANAGES),
    # What changes a cohort or its sessions is tried on "Cohort for A", so that the mixed
    # cohort's session stays open for the check-in rows (tests/test_hostile_routes.py walks
    # every row on one scenario).
    Row(
        "cohorts.edit_cohort",
        "POST",
        _cohort("/edit", "a_cohort_id"),
        _MANAGES_REDIRECT,
        _cohort_fields,
    ),
    Row("cohorts.start_cohort", "POST", _cohort("/start", "a_cohort_id"), _MANAGES_REDIRECT),
    # Without "confirm" the page asks; with it the cohort is closed (and stays closed).
    Row("cohorts.close_cohort", "POST", _cohort("/close", "a_cohort_id"), _MANAGES),
    Row(
        "cohorts.close_cohort",
        "POST",
        _cohort("/close", "a_cohort_id"),
        _MANAGES_REDIRECT,
        lambda s: {"confirm": "y"},
    ),
    Row("cohorts.members", "GET", _cohort("/members"), _SEES_MIXED),
    Row("cohorts.members", "GET", _cohort("/members", "a_cohort_id"), _SEES_FOR_A),
    # participant_a_enrolled (of A) is added by A's coordinator; B's coordinator cannot pick
    # them (the page says so); the next ones find them a member already.
    Row(
        "cohorts.add_members",
        "POST",
        _cohort("/members/add"),
        (302, 403, 403, 403, 403, 403, 403, 302, 200, 302, 302),
        lambda s: {"people": _id("participant_a_enrolled")(s)},
    ),
    Row(
        "cohorts.add_members",
        "POST",
        _cohort("/members/add", "a_cohort_id"),
        (302, 403, 403, 403, 403, 403, 403, 302, 403, 302, 302),
        lambda s: {"people": _id("participant_a_enrolled")(s)},
    ),
    # participant_a, from the mixed cohort into the other one: B's coordinator does not see
    # them (404); the other cohort's trainer and the course's owner cannot pick people.
    Row(
        "cohorts.move_member",
        "POST",
        lambda s: (
            f"/cohorts/{s.objects['other_cohort_id']}/members/{s.users['participant_a'].id}/move"
        ),
        (302, 403, 403, 403, 403, 403, 403, 302, 404, 302, 302),
    ),
    Row(
        "cohorts.remove_member",
        "POST",
        lambda s: f"/cohorts/{s.objects['cohort_id']}/members/{s.users['participant_a'].id}/remove",
        (302, 403, 403, 403, 302, 403, 403, 302, 404, 302, 302),
    ),
    Row(
        "cohorts.remove_member",
        "POST",
        lambda s: f"/cohorts/{s.objects['cohort_id']}/members/{s.users['participant_b'].id}/remove",
        (302, 403, 403, 403, 302, 403, 403, 404, 302, 302, 302),
    ),
    Row("cohorts.import_members", "GET", _cohort("/members/import"), _PICKS_MIXED),
    Row("cohorts.import_members", "POST", _cohort("/members/import"), _PICKS_MIXED),
    Row(
        "cohorts.import_members",
        "GET",
        _cohort("/members/import", "a_cohort_id"),
        (302, 403, 403, 403, 403, 403, 403, 200, 403, 200, 200),
    ),
    Row("cohorts.new_session", "GET", _cohort("/sessions/new"), _MANAGES),
    Row(
        "cohorts.new_session",
        "POST",
        _cohort("/sessions/new", "a_cohort_id"),
        _MANAGES_REDIRECT,
        _session_fields,
    ),
    Row("cohorts.edit_session", "GET", _in_session("/edit"), _MANAGES),
    Row(
        "cohorts.edit_session",
        "POST",
        _in_session("/edit", cohort="a_cohort_id", session="a_session_id"),
        _MANAGES_REDIRECT,
        _session_fields,
    ),
    Row(
        "cohorts.edit_session",
        "GET",
        _in_session("/edit", session="other_session_id"),
        _logged_in(404),
    ),
    Row(
        "cohorts.cancel_session",
        "POST",
        _in_session("/cancel", cohort="a_cohort_id", session="a_session_id"),
        _MANAGES,
    ),
    Row(
        "cohorts.cancel_session",
        "POST",
        _in_session("/cancel", cohort="a_cohort_id", session="a_session_id"),
        _MANAGES_REDIRECT,
        lambda s: {"confirm": "y"},
    ),
    Row(
        "cohorts.cancel_session",
        "POST",
        _in_session("/cancel", session="other_session_id"),
        _logged_in(404),
    ),
    Row("cohorts.cohort_ics", "GET", _cohort("/calendar.ics"), _MEMBERS_READ_MIXED),
    Row("cohorts.cohort_ics", "GET", _cohort("/calendar.ics", "a_cohort_id"), _SEES_FOR_A),
    Row("cohorts.session_ics", "GET", _in_session(".ics"), _MEMBERS_READ_MIXED),
    Row(
        "cohorts.session_ics",
        "GET",
        _in_session(".ics", cohort="a_cohort_id", session="a_session_id"),
        _SEES_FOR_A,
    ),
    # Another cohort's session, under the mixed cohort's address.
    Row(
        "cohorts.session_ics",
        "GET",
        _in_session(".ics", session="other_session_id"),
        _logged_in(404),
    ),
]


# QR check-in and "My sessions". The QR screen, and the code its script fetches, are for those
# who mark the session's attendance (not coordinators of A or B, nor another cohort's
# trainer); a session named under another cohort's address is not found. The scan answers
# everybody, logged in or not, with the confirmation page's address (the code on the screen
# is current: it is made as the row is sent). The confirmation page and its POST are for the
# cohort's members; anyone else is refused.
_MEMBERS = (302, 403, 200, 200, 403, 403, 403, 403, 403, 403, 403)


def _current_token(s: Scenario) -> str:
    from trainer.cohorts import checkin
    from trainer.cohorts.models import TrainingSession
    from trainer.dbtypes import utcnow
    from trainer.extensions import db

    session = db.session.get(TrainingSession, s.objects["session_id"])
    return checkin.session_token(session, now=utcnow())


def _ticket(s: Scenario) -> str:
    from trainer.cohorts import checkin
    from trainer.dbtypes import utcnow

    return checkin.exchange_token(_current_token(s), now=utcnow())


ROWS += [
    Row("cohorts.qr_screen", "GET", _session("qr"), _MARKS),
    Row("cohorts.qr_screen", "GET", _session("qr", "other_cohort_id"), _logged_in(404)),
    Row("cohorts.qr_code", "GET", _session("qr/code"), _MARKS),
    Row("cohorts.qr_code", "GET", _session("qr/code", "other_cohort_id"), _logged_in(404)),
    Row("cohorts.scan", "GET", lambda s: f"/check-in/{_current_token(s)}", _all(302)),
    Row("cohorts.check_in", "GET", lambda s: f"/check-in?ticket={_ticket(s)}", _MEMBERS),
    # Without a ticket (or with a forged one) there is nothing to check in to.
    Row("cohorts.check_in", "GET", lambda s: "/check-in", _logged_in(400)),
    Row(
        "cohorts.check_in",
        "POST",
        lambda s: "/check-in",
        (302, 403, 302, 302, 403, 403, 403, 403, 403, 403, 403),
        lambda s: {"ticket": _ticket(s)},
    ),
    Row("cohorts.my_sessions", "GET", lambda s: "/my-sessions", _logged_in(200)),
]


# Certificates. participant_a and participant_b (members of the mixed cohort) each hold a
# certificate of completion of cohort-course, issued by hand by the admin; participant_a_enrolled's
# open-course enrolment has none yet. The holder downloads their own; admins and coordinators
# act on the certificates of the people they see (B's coordinator finds nothing of A's: 404);
# trainers do not certify (403). Anyone may verify a code, logged in or not.
def _certificates(make, scenario: Scenario) -> None:
    from trainer.certificates import services
    from trainer.learning.services import find_enrolment

    users, admin = scenario.users, scenario.users["admin"]
    for name in ("participant_a", "participant_b"):
        enrolment = find_enrolment(users[name], "cohort-course")
        issued = services.issue_manually(admin, enrolment, "Scenario")
        scenario.objects[f"certificate_{name}"] = (issued.id, issued.code)
    enrolment = find_enrolment(users["participant_a_enrolled"], "open-course")
    scenario.objects["enrolment_without_certificate"] = enrolment.id


def _certificate(s: Scenario, suffix: str = "") -> str:
    return f"/certificates/{s.objects['certificate_participant_a'][0]}{suffix}"


def _verify(suffix: str = "") -> Callable[[Scenario], str]:
    return lambda s: f"/verify/{s.objects['certificate_participant_a'][1]}{suffix}"


_CERTIFIER_PAGE = (302, 403, 403, 403, 403, 403, 403, 200, 200, 200, 200)
# A's certificate: B's coordinator finds nothing (404).
_CERTIFIER_OF_A = (302, 403, 403, 403, 403, 403, 403, 200, 404, 200, 200)
_CERTIFIER_OF_A_POST = (302, 403, 403, 403, 403, 403, 403, 302, 404, 302, 302)
_REASON = {"reason": "Reason given."}

SCENARIO_HOOKS.append(_certificates)
ROWS += [
    Row("verify.form", "GET", lambda s: "/verify", _all(200)),
    Row("verify.certificate", "GET", _verify(), _all(200)),
    Row("verify.certificate", "GET", lambda s: "/verify/2222-2222-2222-2222", _all(404)),
    Row("verify.certificate_json", "GET", _verify(".json"), _all(200)),
    Row("verify.certificate_json", "GET", lambda s: "/verify/2222-2222-2222-2222.json", _all(404)),
    Row("certificates.my_certificates", "GET", lambda s: "/certificates", _logged_in(200)),
    # The holder (participant_a) and who manages A's people download it; nobody else finds it.
    Row(
        "certificates.pdf",
        "GET",
        lambda s: _certificate(s, "/pdf"),
        (302, 404, 200, 404, 404, 404, 404, 200, 404, 200, 200),
    ),
    Row("certificates.certificates", "GET", lambda s: "/certificates/manage", _CERTIFIER_PAGE),
    Row("certificates.log", "GET", lambda s: "/certificates/log", _CERTIFIER_PAGE),
    Row("certificates.certificate", "GET", _certificate, _CERTIFIER_OF_A),
    Row(
        "certificates.revoke",
        "POST",
        lambda s: _certificate(s, "/revoke"),
        _CERTIFIER_OF_A_POST,
        lambda s: {"revoke-reason": "Reason given."},
    ),
    Row(
        "certificates.reissue",
        "POST",
        lambda s: _certificate(s, "/reissue"),
        _CERTIFIER_OF_A_POST,
        lambda s: {"reissue-reason": "Reason given."},
    ),
    Row(
        "certificates.issue",
        "GET",
        lambda s: f"/enrolments/{s.objects['enrolment_without_certificate']}/certificate",
        _CERTIFIER_OF_A,
    ),
    Row(
        "certificates.issue",
        "POST",
        lambda s: f"/enrolments/{s.objects['enrolment_without_certificate']}/certificate",
        _CERTIFIER_OF_A_POST,
        lambda s: _REASON,
    ),
    # Each coordinator's zip holds only their own people's certificates (tests/certificates).
    Row(
        "certificates.cohort_zip",
        "GET",
        lambda s: f"/cohorts/{s.objects['cohort_id']}/certificates.zip",
        _CERTIFIER_PAGE,
    ),
    # A cohort open to A only: B's coordinator finds it nowhere (404); those who see it and
    # certify are sent back to the list, since none of its members holds a certificate yet.
    Row(
        "certificates.cohort_zip",
        "GET",
        lambda s: f"/cohorts/{s.objects['a_cohort_id']}/certificates.zip",
        (302, 403, 403, 403, 403, 403, 403, 302, 404, 302, 302),
    ),
]


# Signed credentials. participant_a's certificate is signed (with a key the scenario makes;
# the app has none of its own), participant_b's is not. The issuer profile, the keys and the
# status lists are public; the credential is downloaded by its holder only: everybody else,
# admins included, finds nothing (404).
def _credentials(make, scenario: Scenario) -> None:
    from flask import current_app

    from trainer.credentials import services
    from trainer.credentials.keys import generate_private_key_pem

    config = current_app.config
    config["CREDENTIALS_KEY"] = generate_private_key_pem("ec").decode("ascii")
    try:
        services.sign_certificates([scenario.objects["certificate_participant_a"][0]])
    finally:
        config["CREDENTIALS_KEY"] = None


def _credential(name: str) -> Callable[[Scenario], str]:
    return lambda s: f"/certificates/{s.objects[f'certificate_{name}'][0]}/credential"


SCENARIO_HOOKS.append(_credentials)
ROWS += [
    Row("credentials.issuer", "GET", lambda s: "/credentials/issuer", _all(200)),
    Row("credentials.jwks", "GET", lambda s: "/credentials/jwks.json", _all(200)),
    Row("credentials.well_known_jwks", "GET", lambda s: "/.well-known/jwks.json", _all(200)),
    Row("credentials.status_list", "GET", lambda s: "/credentials/status/1", _all(200)),
    Row("credentials.status_list", "GET", lambda s: "/credentials/status/99", _all(404)),
    Row(
        "credentials.download",
        "GET",
        _credential("participant_a"),
        (302, 404, 200, 404, 404, 404, 404, 404, 404, 404, 404),
    ),
    Row("credentials.download", "GET", _credential("participant_b"), _logged_in(404)),
]


# Reports. The dashboard, item analysis and their exports are for coordinators and admins
# (the people they see) and trainers (the cohorts they train); participants get 403. Asking
# for an institution or a cohort one does not report on is refused (403): B's coordinator
# never opens A's figures, and a trainer only their own cohort's. A participant outside the
# actor's scope is not found (404) on the drill-down.
_REPORTS = (302, 403, 403, 403, 200, 200, 200, 200, 200, 200, 200)
_REPORTS_OF_A = (302, 403, 403, 403, 403, 403, 403, 200, 403, 200, 200)
_REPORTS_OF_MIXED = (302, 403, 403, 403, 403, 403, 200, 200, 200, 200, 200)
_REPORTS_OF_COHORT_FOR_A = (302, 403, 403, 403, 403, 403, 403, 200, 403, 200, 200)


def _report(path: str, query: str = "") -> Callable[[Scenario], str]:
    def build(s: Scenario) -> str:
        filled = query.format(
            a=s.institution_a.id,
            mixed=s.objects["cohort_id"],
            for_a=s.objects["a_cohort_id"],
        )
        return f"{path}?family=cohort-course{'&' + filled if filled else ''}"

    return build


def _drill_down(actor: str) -> Callable[[Scenario], str]:
    return lambda s: f"/reports/participants/{s.users[actor].id}?family=cohort-course"


ROWS += [
    Row("reports.dashboard_page", "GET", lambda s: "/reports", _REPORTS),
    Row("reports.dashboard_page", "GET", _report("/reports", "institution={a}"), _REPORTS_OF_A),
    Row("reports.dashboard_page", "GET", _report("/reports", "cohort={mixed}"), _REPORTS_OF_MIXED),
    Row(
        "reports.dashboard_page",
        "GET",
        _report("/reports", "cohort={for_a}"),
        _REPORTS_OF_COHORT_FOR_A,
    ),
    Row(
        "reports.dashboard_workbook",
        "GET",
        _report("/reports/dashboard.xlsx", "institution={a}"),
        _REPORTS_OF_A,
    ),
    Row(
        "reports.dashboard_workbook",
        "GET",
        _report("/reports/dashboard.xlsx", "cohort={mixed}"),
        _REPORTS_OF_MIXED,
    ),
    Row(
        "reports.dashboard_table",
        "GET",
        _report("/reports/tables/participants.csv", "institution={a}"),
        _REPORTS_OF_A,
    ),
    Row(
        "reports.dashboard_table",
        "GET",
        _report("/reports/tables/gain.xlsx", "cohort={for_a}"),
        _REPORTS_OF_COHORT_FOR_A,
    ),
    Row(
        "reports.dashboard_table",
        "GET",
        _report("/reports/tables/at-risk.csv", "cohort={mixed}"),
        _REPORTS_OF_MIXED,
    ),
    Row("reports.items_page", "GET", lambda s: "/reports/items", _REPORTS),
    Row("reports.items_page", "GET", _report("/reports/items", "institution={a}"), _REPORTS_OF_A),
    Row(
        "reports.items_table",
        "GET",
        _report("/reports/items/items.csv", "institution={a}"),
        _REPORTS_OF_A,
    ),
    Row(
        "reports.items_table",
        "GET",
        _report("/reports/items/pre-post.xlsx", "cohort={mixed}"),
        _REPORTS_OF_MIXED,
    ),
    # participant_a is A's, in the mixed cohort; participant_b is B's, in it too.
    Row(
        "reports.participant_page",
        "GET",
        _drill_down("participant_a"),
        (302, 403, 403, 403, 404, 404, 200, 200, 404, 200, 200),
    ),
    Row(
        "reports.participant_page",
        "GET",
        _drill_down("participant_b"),
        (302, 403, 403, 403, 404, 404, 200, 404, 200, 200, 200),
    ),
]


# The evaluation report, for funders (trainer.reports.evaluation_views). Per course family:
# admins and coordinators, each counting the people they see; B's coordinator asking for
# A's institution is refused (404), like an unknown family. Per cohort: those who see the
# cohort among admins and coordinators (B's coordinator not a cohort open to A only: 403),
# and the cohort's trainers; other trainers, course owners included, and participants: 403.
_EVALUATES_FAMILY = (302, 403, 403, 403, 403, 403, 403, 200, 200, 200, 200)
_EVALUATES_A_ONLY = (302, 403, 403, 403, 403, 403, 403, 200, 404, 200, 200)
_EVALUATES_MIXED = (302, 403, 403, 403, 403, 403, 200, 200, 200, 200, 200)
_EVALUATES_FOR_A = (302, 403, 403, 403, 403, 403, 403, 200, 403, 200, 200)


def _evaluation(suffix: str = "", query: str = "") -> Callable[[Scenario], str]:
    def path(s: Scenario) -> str:
        filters = f"?institution={s.institution_a.id}" if query == "a" else ""
        return f"/reports/evaluation/cohort-course{suffix}{filters}"

    return path


ROWS += [
    Row("evaluation.family_report", "GET", _evaluation(), _EVALUATES_FAMILY),
    Row("evaluation.family_report", "GET", _evaluation(query="a"), _EVALUATES_A_ONLY),
    Row(
        "evaluation.family_report",
        "GET",
        lambda s: "/reports/evaluation/no-such-course",
        (302, 403, 403, 403, 403, 403, 403, 404, 404, 404, 404),
    ),
    Row("evaluation.family_pdf", "GET", _evaluation(".pdf"), _EVALUATES_FAMILY),
    Row("evaluation.family_pdf", "GET", _evaluation(".pdf", "a"), _EVALUATES_A_ONLY),
    Row("evaluation.cohort_report", "GET", _cohort("/evaluation"), _EVALUATES_MIXED),
    Row(
        "evaluation.cohort_report",
        "GET",
        _cohort("/evaluation", "a_cohort_id"),
        _EVALUATES_FOR_A,
    ),
    Row("evaluation.cohort_report", "GET", lambda s: "/cohorts/999999/evaluation", _STAFF_404),
    Row("evaluation.cohort_pdf", "GET", _cohort("/evaluation.pdf"), _EVALUATES_MIXED),
    Row(
        "evaluation.cohort_pdf",
        "GET",
        _cohort("/evaluation.pdf", "a_cohort_id"),
        _EVALUATES_FOR_A,
    ),
]


# The JSON API and its tokens. Each coordinator holds a working API token; the API answers
# a bearer token only (a log-in cookie alone gets 401, as does no token), with the people the
# token's coordinator sees. Institution A's data asked for with B's coordinator's token is
# not found (404), like an institution that does not exist. Only coordinators manage tokens,
# each only their own (another's token to revoke is not found).
def _api(make, scenario: Scenario) -> None:
    from trainer.api import tokens

    scenario.objects["api_tokens"] = {
        actor: tokens.create(scenario.users[actor], "HR system").secret
        for actor in ("coordinator_a", "coordinator_b", "programme_coordinator")
    }
    other = tokens.create(scenario.users["coordinator_b"], "Another system")
    scenario.objects["coordinator_b_token_id"] = other.token.id


_TOKEN_HOLDERS = (401, 401, 401, 401, 401, 401, 401, 200, 200, 200, 401)
_TOKEN_HOLDERS_OF_A = (401, 401, 401, 401, 401, 401, 401, 200, 404, 200, 401)
_COORDINATORS = (302, 403, 403, 403, 403, 403, 403, 200, 200, 200, 403)
_API_LISTS = ("enrolments", "progress", "attendance", "certificates")


def _api_rows(name: str) -> list[Row]:
    endpoint, path = f"api.{name}", f"/api/v1/{name}"
    return [
        Row(endpoint, "GET", lambda s: path, _all(401)),
        Row(endpoint, "GET", lambda s: path, _TOKEN_HOLDERS, bearer=True),
        Row(
            endpoint,
            "GET",
            lambda s: f"{path}?institution_id={s.institution_a.id}",
            _TOKEN_HOLDERS_OF_A,
            bearer=True,
        ),
        Row(
            endpoint,
            "GET",
            lambda s: f"{path}?institution_id={s.institution_a.id}&limit=1&family=cohort-course",
            _TOKEN_HOLDERS_OF_A,
            bearer=True,
        ),
    ]


SCENARIO_HOOKS.append(_api)
ROWS += [row for name in _API_LISTS for row in _api_rows(name)]
ROWS += [
    Row("api.openapi", "GET", lambda s: "/api/v1/openapi.json", _all(200)),
    Row("api_tokens.index", "GET", lambda s: "/account/api-tokens", _COORDINATORS),
    Row(
        "api_tokens.create",
        "POST",
        lambda s: "/account/api-tokens",
        _COORDINATORS,
        lambda s: {"name": "Payroll"},
    ),
    # B's coordinator's second token: only B's coordinator revokes it.
    Row(
        "api_tokens.revoke",
        "POST",
        lambda s: f"/account/api-tokens/{s.objects['coordinator_b_token_id']}/revoke",
        (302, 403, 403, 403, 403, 403, 403, 404, 302, 404, 403),
    ),
]


def build_scenario(make) -> Scenario:
    a = make.institution("institution-a", name="Institution A")
    b = make.institution("institution-b", name="Institution B")
    users = {
        "anonymous": None,
        "participant_a_enrolled": make.user(Role.PARTICIPANT, institution=a),
        "participant_a": make.user(Role.PARTICIPANT, institution=a),
        "participant_b": make.user(Role.PARTICIPANT, institution=b),
        "trainer_owner": make.user(Role.TRAINER),
        "trainer_other": make.user(Role.TRAINER),
        # Trains the cohorts that later rows build (see the cohorts hook); no course owner.
        "cohort_trainer": make.user(Role.TRAINER),
        "coordinator_a": make.user(Role.COORDINATOR, institution=a),
        "coordinator_b": make.user(Role.COORDINATOR, institution=b),
        "programme_coordinator": make.user(Role.COORDINATOR, is_programme_wide=True),
        "admin": make.user(Role.ADMIN),
    }
    scenario = Scenario(users=users, institution_a=a, institution_b=b)
    for hook in SCENARIO_HOOKS:
        hook(make, scenario)
    return scenario


def _rule_keys(app) -> set[tuple[str, str]]:
    keys = set()
    for rule in app.url_map.iter_rules():
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            keys.add((rule.endpoint, method))
    return keys


def test_every_route_has_a_row(app):
    covered = {(row.endpoint, row.method) for row in ROWS}
    missing = sorted(_rule_keys(app) - covered)
    assert not missing, f"routes without a permission row: {missing}"
    stale = sorted(covered - _rule_keys(app))
    assert not stale, f"rows for routes that do not exist: {stale}"


def test_rows_have_one_status_per_actor():
    for row in ROWS:
        assert len(row.expected) == len(ACTORS), row


@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"{r.method} {r.endpoint}")
def test_permission_table(app, make, login_as, row):
    scenario = build_scenario(make)
    failures = []
    for actor, expected in zip(ACTORS, row.expected, strict=True):
        client = app.test_client()
        user = scenario.users[actor]
        if row.bearer:
            if actor in scenario.objects["api_tokens"]:
                use_api_token(client, scenario.objects["api_tokens"][actor])
        elif user is not None:
            log_in(client, user)
        path = row.path(scenario)
        if row.method == "GET":
            response = client.get(path)
        else:
            data = row.data(scenario) if row.data else {}
            response = client.open(
                path, method=row.method, data={**data, "csrf_token": client.csrf_token()}
            )
        if response.status_code != expected:
            failures.append(f"{actor}: got {response.status_code}, expected {expected}")
        response.close()
    assert not failures, f"{row.method} {path}: " + "; ".join(failures)
