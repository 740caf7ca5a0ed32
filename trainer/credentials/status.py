"""Status lists: a place for each credential, and the signed list that revokes it.

Places are drawn at random (a credential's index says nothing about when it was issued or
about its neighbours) from the newest list, and a new list is opened once half of it is
used, so a draw rarely collides. The database decides: (list, index) is unique, so of two
transactions drawing the same index the second's INSERT fails, and it draws again.

A list is re-signed by the transaction that flips one of its bits, holding the list's row
locked (SELECT ... FOR UPDATE on PostgreSQL), so two revocations at once each sign a list
that includes the other's bit once committed, never one that leaves it out.
"""

from __future__ import annotations

import random
from datetime import datetime

from flask import current_app
from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError

from trainer.credentials import bitstring, document, keys, signing
from trainer.credentials.models import STATUS_LIST_BITS, Credential, StatusList
from trainer.dbtypes import utcnow
from trainer.extensions import db

_random = random.SystemRandom()
lists = StatusList.__table__
credentials = Credential.__table__


def list_url(list_id: int) -> str:
    return f"{current_app.config['PUBLIC_BASE_URL'].rstrip('/')}/credentials/status/{list_id}"


def open_list(needed: int) -> tuple[int, int]:
    """(id, size) of the list new credentials go to: the newest, unless this batch would
    fill it past half, then a new one (created once however many ask at the same time)."""
    session = db.session
    newest = session.execute(select(lists.c.id, lists.c.size).order_by(lists.c.id.desc())).first()
    if newest is not None:
        used = session.scalar(
            select(func.count())
            .select_from(credentials)
            .where(credentials.c.status_list_id == newest.id)
        )
        if used + needed <= newest.size // 2:
            return newest.id, newest.size
    list_id = (newest.id + 1) if newest is not None else 1
    try:
        with session.connection().begin_nested():
            session.execute(
                insert(lists).values(
                    id=list_id,
                    purpose="revocation",
                    size=STATUS_LIST_BITS,
                    jwt="",
                    created_at=utcnow(),
                )
            )
    except IntegrityError:
        pass  # another transaction opened it a moment ago
    resign(list_id)
    return list_id, STATUS_LIST_BITS


def draw(list_id: int, size: int, count: int) -> list[int]:
    """``count`` distinct indexes not yet used in the list, at random."""
    chosen: list[int] = []
    while len(chosen) < count:
        wanted = count - len(chosen)
        candidates = set(_random.sample(range(size), min(size, 2 * wanted + 16))) - set(chosen)
        used = set(
            db.session.scalars(
                select(credentials.c.status_index).where(
                    credentials.c.status_list_id == list_id,
                    credentials.c.status_index.in_(sorted(candidates)),
                )
            )
        )
        chosen.extend(sorted(candidates - used, key=lambda _: _random.random())[:wanted])
    return chosen


def resign(list_id: int, *, now: datetime | None = None) -> bool:
    """Sign the list again with the bits as they stand in this transaction; False (and the
    list left as it was) when no key is configured."""
    key = keys.signing_key()
    if key is None:
        return False
    session = db.session
    row = session.execute(
        select(lists.c.id, lists.c.size).where(lists.c.id == list_id).with_for_update()
    ).one()
    revoked = session.scalars(
        select(credentials.c.status_index).where(
            credentials.c.status_list_id == list_id, credentials.c.revoked_at.is_not(None)
        )
    )
    now = now or utcnow()
    credential = document.status_list_credential(
        url=list_url(list_id),
        issuer_id=keys.issuer_id(),
        encoded_list=bitstring.encode(revoked, row.size),
        signed_at=now,
    )
    token = signing.sign(document.status_list_claims(credential), key)
    session.execute(update(lists).where(lists.c.id == list_id).values(jwt=token, signed_at=now))
    return True


def stale_lists() -> list[int]:
    """Lists with a revocation newer than their signature (revoked while no key was
    configured): ``credentials sign`` signs them again."""
    latest = (
        select(credentials.c.status_list_id, func.max(credentials.c.revoked_at).label("at"))
        .where(credentials.c.revoked_at.is_not(None))
        .group_by(credentials.c.status_list_id)
        .subquery()
    )
    return list(
        db.session.scalars(
            select(lists.c.id)
            .join(latest, latest.c.status_list_id == lists.c.id)
            .where((lists.c.signed_at.is_(None)) | (lists.c.signed_at < latest.c.at))
            .order_by(lists.c.id)
        )
    )
