"""Editing a cohort, adding several members at once, and adding a file of them."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from trainer.auth import people_import
from trainer.auth.services import AccountError, ImportRefused
from trainer.cohorts import imports, services
from trainer.cohorts.models import CohortMember
from trainer.cohorts.services import CohortError
from trainer.extensions import db
from trainer.learning.models import Enrolment


def edit(actor, cohort, **changes):
    fields = {
        "name": cohort.name,
        "starts_on": cohort.starts_on,
        "ends_on": cohort.ends_on,
        "timezone": cohort.timezone,
        "institutions": cohort.institutions,
        "open_to_all": cohort.is_open_to_all,
        "trainers": cohort.trainers,
        **changes,
    }
    return services.update_cohort(actor, cohort, **fields)


def test_editing_checks_what_creating_checks(people, new_cohort):
    cohort = new_cohort()
    edit(people.owner, cohort, name="  Quito,   April ", trainers=[people.other_trainer])
    assert cohort.name == "Quito, April"
    assert [t.id for t in cohort.trainers] == [people.other_trainer.id]
    with pytest.raises(CohortError, match="not allowed"):
        edit(people.trainer, cohort, name="Mine")
    with pytest.raises(CohortError, match="Unknown time zone"):
        edit(people.admin, cohort, timezone="Nowhere/Land")
    with pytest.raises(CohortError, match="Ana Núñez is not an active trainer"):
        edit(people.admin, cohort, trainers=[people.ana])
    with pytest.raises(CohortError, match="cannot end before it starts"):
        edit(people.admin, cohort, ends_on=date(2026, 2, 1))


def test_a_new_time_zone_keeps_the_sessions_instants(people, new_cohort, new_session):
    cohort = new_cohort()
    session = new_session(cohort, day=2)
    before = session.starts_at
    edit(people.admin, cohort, timezone="Europe/Madrid")
    assert (cohort.timezone, session.starts_at) == ("Europe/Madrid", before)


def test_a_closed_cohort_is_not_edited(people, new_cohort):
    cohort = new_cohort()
    services.close_cohort(people.admin, cohort)
    with pytest.raises(CohortError, match="is closed"):
        edit(people.admin, cohort, name="Reopened")


def test_opening_to_all_lets_members_of_any_institution_stay(people, new_cohort):
    cohort = new_cohort()
    services.add_member(people.admin, cohort, people.luis)
    edit(people.admin, cohort, institutions=[], open_to_all=True)
    assert cohort.is_open_to_all
    with pytest.raises(CohortError, match="Members of Cuenca"):
        edit(people.admin, cohort, institutions=[people.quito], open_to_all=False)


def test_adding_several_members_is_all_or_nothing_enrolments_included(people, new_cohort, received):
    cohort, evening = new_cohort(), new_cohort(name="Evening")
    services.add_member(people.admin, evening, people.zoe)
    enrolments = db.session.scalar(select(func.count(Enrolment.id)))
    with pytest.raises(CohortError) as refused:
        services.add_members(
            people.quito_coordinator, cohort, [people.ana, people.zoe, people.luis]
        )
    message = str(refused.value)
    assert "Zoë Éluard is already a member of the cohort Evening" in message
    assert "not allowed" in message  # Luis, of another institution
    assert db.session.scalar(select(func.count(Enrolment.id))) == enrolments
    assert (
        db.session.scalar(
            select(func.count(CohortMember.id)).where(CohortMember.cohort_id == cohort.id)
        )
        == 0
    )
    added = services.add_members(people.quito_coordinator, cohort, [people.ana])
    assert [m.user_id for m in added] == [people.ana.id]


def csv_of(*rows: str) -> bytes:
    return ("email,full_name,institution\n" + "".join(f"{row}\n" for row in rows)).encode()


def test_importing_a_file_names_every_bad_line_and_writes_nothing(people, new_cohort):
    cohort = new_cohort()
    slug = people.quito.slug
    with pytest.raises(ImportRefused) as refused:
        imports.import_members(
            people.quito_coordinator,
            cohort,
            csv_of(f"{people.ana.email},Ana,{slug}", f"new@example.org,New,{slug}", "bad,Bad,"),
        )
    assert [problem.line for problem in refused.value.problems] == [3, 4, 4]
    assert db.session.scalar(select(func.count(CohortMember.id))) == 0


def test_importing_creates_missing_accounts_only_for_those_who_may(people, new_cohort):
    cohort = new_cohort()
    data = csv_of(f"new@example.org,Nueva,{people.quito.slug}")
    with pytest.raises(CohortError, match="not allowed"):
        imports.import_members(people.owner, cohort, data, create_missing=True)
    outcome = imports.import_members(people.quito_coordinator, cohort, data, create_missing=True)
    assert [user.email for user in outcome.created] == ["new@example.org"]
    assert [email for email, _link in outcome.links] == ["new@example.org"]
    assert [member.user.email for member in outcome.added] == ["new@example.org"]


def test_the_importing_scope_is_the_cohorts_institutions_within_the_actors(people, new_cohort):
    cohort = new_cohort(institutions=[people.quito])
    assert imports.import_scope(people.admin, cohort).institutions == [people.quito.slug]
    assert imports.import_scope(people.quito_coordinator, cohort).institutions == [
        people.quito.slug
    ]
    assert imports.import_scope(people.cuenca_coordinator, cohort).institutions == []
    everyone = new_cohort(name="All", institutions=[], open_to_all=True)
    assert imports.import_scope(people.programme, everyone).institutions is None
    with pytest.raises(AccountError):
        people_import.import_scope(people.trainer)
