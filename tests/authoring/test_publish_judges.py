"""Publishing a version judges the course family's enrolments in that same request."""

from __future__ import annotations

from sqlalchemy import select

from trainer.courses.services import current_modules
from trainer.learning import services
from trainer.learning.models import Enrolment
from trainer.learning.signals import enrolment_completed


def test_publishing_a_version_without_the_last_unmet_module_completes_in_that_request(
    app, db, make, course, owner, login_as
):
    # local-planning: "counting" has a graded quiz, "services" is read and marked complete.
    done, waiting = make.user(), make.user()
    for participant in (done, waiting):
        enrolment = services.enrol(participant, course)
        services.mark_complete(participant, enrolment, current_modules(course)[1])
    services.withdraw(services.find_enrolment(waiting, course.family))
    db.session.commit()

    client = login_as(owner)
    assert client.post("/courses/local-planning/edit/modules/counting/delete").status_code == 302
    heard = []
    with enrolment_completed.connected_to(lambda sender, **kw: heard.append(sender.user_id)):
        response = client.post("/courses/local-planning/edit/publish", data={"publish": "1"})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    assert heard == [done.id]  # announced inside the publishing request, once
    stored = db.session.scalars(
        select(Enrolment.user_id).where(Enrolment.completed_at.is_not(None))
    ).all()
    assert stored == [done.id]
