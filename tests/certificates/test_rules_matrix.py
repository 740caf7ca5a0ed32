"""The rules matrix: with modules, quiz, attendance or survey missing in turn there is no
certificate and the checklist names what is missing; with all of them met there is exactly
one, issued by the request that met the last one."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.certificates.conftest import SLUG, attend, join
from tests.learning.conftest import take
from tests.sessions import log_in
from trainer.certificates.models import Certificate

MISSING_ITEM = {
    "module": "Complete the module",
    "quiz": "Pass the quiz of",
    "attendance": "Attend at least 75% of your cohort's sessions: you have attended 2 of 4 (50%)",
    "survey": "Answer the survey",
}


def count(db) -> int:
    return db.session.scalar(select(func.count(Certificate.id)))


def meet(client, world, person, requirement: str) -> None:
    """Meet one requirement the way a participant (or their trainer) does."""
    if requirement == "module":
        response = client.post(f"/courses/{SLUG}/modules/reading/complete")
        assert response.status_code == 302
    elif requirement == "quiz":
        take(client, SLUG, "quiz", {"q-yes": "true"})
    elif requirement == "survey":
        take(client, SLUG, "survey", {"q-useful": "4"})
    elif requirement == "attendance":
        attend(world, person, 3)  # 3 of 4 sessions: 75 %


@pytest.mark.parametrize("missing", list(MISSING_ITEM))
def test_one_requirement_missing_gives_no_certificate_and_its_checklist_item(
    app, db, world, missing
):
    join(world, world.nusta)
    client = log_in(app.test_client(), world.nusta)
    if missing == "attendance":
        attend(world, world.nusta, 2)  # 2 of 4 sessions: 50 %
    for requirement in MISSING_ITEM:
        if requirement != missing:
            meet(client, world, world.nusta, requirement)
    assert count(db) == 0
    page = " ".join(client.get(f"/courses/{SLUG}").get_data(as_text=True).split())
    unmet = page.split('<ul class="unmet">')[1].split("</ul>")[0]
    assert unmet.count("<li>") == 1
    assert MISSING_ITEM[missing] in unmet
    assert "My certificates" in page
    assert "You have no certificate yet" in client.get("/certificates").get_data(as_text=True)


def test_all_met_issues_exactly_one_certificate_in_the_request_that_met_the_last(app, db, world):
    join(world, world.nusta)
    client = log_in(app.test_client(), world.nusta)
    for requirement in ("attendance", "module", "quiz"):
        meet(client, world, world.nusta, requirement)
    assert count(db) == 0
    meet(client, world, world.nusta, "survey")  # one request: the survey sent
    assert count(db) == 1
    (certificate,) = db.session.scalars(select(Certificate)).all()
    assert certificate.user_id == world.nusta.id
    assert certificate.kind == "completion"
    # Pages read only, and a repeated action issues nothing more.
    client.get(f"/courses/{SLUG}")
    client.get("/certificates")
    client.post(f"/courses/{SLUG}/modules/reading/complete")
    assert count(db) == 1
    page = client.get("/certificates").get_data(as_text=True)
    assert certificate.code in page
