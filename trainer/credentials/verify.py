"""Verify a downloaded credential without the app: ``python -m trainer.credentials.verify
FILE [--jwks FILE_OR_URL]``.

It reads no configuration and no database (it imports neither Flask nor the app's
settings: tests/credentials checks), only the credential file and a JWKS: the one given,
or the one the credential's ``kid`` points to. It checks, and names what fails:

- the format: a compact JWS whose header is the one Open Badges 3.0 allows;
- the key: the ``kid`` is in the JWKS, published by the credential's issuer (same site, and
  the key's ``iss`` when present);
- the signature, with PyJWT (on the cryptography library);
- the claims restating the credential (``iss``, ``jti``, ``sub``, ``nbf``, ``exp``), and
  its type;
- the dates: not before ``validFrom``, not after ``validUntil``;
- the revocation status, when the status list can be fetched (its signature checked with the
  same keys); unreachable, it is reported as not checked, not as a failure.

Exit status: 0 valid, 1 not valid, 2 the files could not be read.
"""

from __future__ import annotations

import argparse
import json
import sys
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime

import jwt

from trainer.credentials import bitstring

ALGORITHMS = ("RS256", "ES256")
MAX_DOWNLOAD = 5 * 1024 * 1024
TIMEOUT = 10


class Unreadable(Exception):
    """A file or address that could not be read; the message says why."""


@dataclass
class Report:
    checks: list[tuple[str, bool, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def ok(self, name: str, detail: str) -> None:
        self.checks.append((name, True, detail))

    def fail(self, name: str, detail: str) -> None:
        self.checks.append((name, False, detail))

    @property
    def valid(self) -> bool:
        return all(passed for _name, passed, _detail in self.checks)

    @property
    def failures(self) -> list[str]:
        return [f"{name}: {detail}" for name, passed, detail in self.checks if not passed]

    def text(self) -> str:
        lines = [
            f"{'ok    ' if passed else 'FAILED'} {name}: {detail}"
            for name, passed, detail in self.checks
        ]
        lines += [f"note   {note}" for note in self.notes]
        lines.append("VALID" if self.valid else "NOT VALID: " + "; ".join(self.failures))
        return "\n".join(lines)


def fetch(url: str) -> bytes:
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise Unreadable(f"{url} is not an http(s) address")
    request = urllib.request.Request(  # noqa: S310  (scheme checked above)
        url, headers={"Accept": "application/jwk-set+json, application/vc+jwt, */*"}
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
            data = response.read(MAX_DOWNLOAD + 1)
    except (urllib.error.URLError, OSError, ValueError) as error:
        raise Unreadable(f"cannot fetch {url}: {getattr(error, 'reason', error)}") from None
    if len(data) > MAX_DOWNLOAD:
        raise Unreadable(f"{url} is too large")
    return data


def read_source(source: str) -> bytes:
    if source.startswith(("http://", "https://")):
        return fetch(source)
    try:
        with open(source, "rb") as file:
            return file.read(MAX_DOWNLOAD + 1)
    except OSError as error:
        raise Unreadable(f"cannot read {source}: {error.strerror}") from None


def load_jwks(data: bytes, origin: str) -> list[dict]:
    try:
        keys = json.loads(data)["keys"]
        if not isinstance(keys, list) or not all(isinstance(k, dict) for k in keys):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        raise Unreadable(f"{origin} is not a JWKS (a JSON object with a list of keys)") from None
    return keys


def _parse_time(text) -> datetime | None:
    try:
        return datetime.fromisoformat(str(text).replace("Z", "+00:00")).astimezone(UTC)
    except ValueError:
        return None


def _origin(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def _verified_payload(token: str, keys: list[dict], report: Report, what: str) -> dict | None:
    """The payload of ``token`` when its header is acceptable, its key is in ``keys`` and
    its signature holds; else None, with the reason in the report."""
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError:
        report.fail(f"{what} format", "not a compact JWS (three base64url parts)")
        return None
    alg, kid = header.get("alg"), header.get("kid")
    extra = set(header) - {"alg", "kid", "typ", "jwk"}
    if alg not in ALGORITHMS or header.get("typ", "JWT") != "JWT" or extra or not kid:
        report.fail(
            f"{what} format",
            f"JOSE header {json.dumps(header, sort_keys=True)} is not the one Open Badges "
            f"3.0 allows (alg {' or '.join(ALGORITHMS)}, a kid, typ JWT)",
        )
        return None
    report.ok(f"{what} format", f"compact JWS, {alg}")
    jwk = next((k for k in keys if k.get("kid") == kid), None)
    if jwk is None:
        report.fail(f"{what} key", f"the key {kid} is not in the JWKS")
        return None
    try:
        key = jwt.PyJWK(jwk, algorithm=alg).key
        payload = jwt.decode(
            token,
            key=key,
            algorithms=[alg],
            options={
                "verify_exp": False,
                "verify_nbf": False,
                "verify_iat": False,
                "verify_aud": False,
                "verify_iss": False,
            },
        )
    except jwt.InvalidSignatureError:
        report.fail(
            f"{what} signature",
            "the signature does not match: the credential was changed after it was signed, "
            "or signed with another key",
        )
        return None
    except (jwt.PyJWTError, ValueError, TypeError) as error:
        report.fail(f"{what} signature", f"cannot be checked: {error}")
        return None
    report.ok(f"{what} signature", f"signed by key {kid}")
    payload["__jwk__"] = jwk
    return payload


def _check_claims(payload: dict, report: Report) -> None:
    issuer = payload.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    subject = payload.get("credentialSubject") or {}
    expected = {
        "iss": issuer_id,
        "jti": payload.get("id"),
        "sub": subject.get("id") if isinstance(subject, dict) else None,
    }
    wrong = [
        f"{claim} is not {value!r}"
        for claim, value in expected.items()
        if payload.get(claim) != value
    ]
    valid_from = _parse_time(payload.get("validFrom"))
    if valid_from is None or payload.get("nbf") != int(valid_from.timestamp()):
        wrong.append("nbf does not restate validFrom")
    if "validUntil" in payload:
        until = _parse_time(payload["validUntil"])
        if until is None or payload.get("exp") != int(until.timestamp()):
            wrong.append("exp does not restate validUntil")
    types = payload.get("type") or []
    if "VerifiableCredential" not in types or not {
        "OpenBadgeCredential",
        "AchievementCredential",
    } & set(types):
        wrong.append("type is not VerifiableCredential and OpenBadgeCredential")
    if wrong:
        report.fail("claims", "; ".join(wrong))
    else:
        report.ok("claims", "iss, jti, sub, nbf and exp restate the credential")


def _check_issuer(payload: dict, report: Report, expected_issuer: str | None) -> str | None:
    issuer = payload.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    name = issuer.get("name") if isinstance(issuer, dict) else None
    jwk = payload.get("__jwk__") or {}
    problems = []
    if not isinstance(issuer_id, str) or not issuer_id:
        problems.append("the credential names no issuer")
    else:
        if expected_issuer and issuer_id != expected_issuer:
            problems.append(f"issued by {issuer_id}, not by {expected_issuer}")
        if jwk.get("iss") not in (None, issuer_id):
            problems.append(f"the key belongs to {jwk.get('iss')}, not to {issuer_id}")
        if _origin(str(jwk.get("kid", ""))) != _origin(issuer_id):
            problems.append(f"the key {jwk.get('kid')} is not published by {_origin(issuer_id)}")
    if problems:
        report.fail("issuer", "; ".join(problems))
        return None
    report.ok("issuer", f"{name} ({issuer_id})" if name else issuer_id)
    return issuer_id


def _check_dates(payload: dict, report: Report, now: datetime) -> None:
    valid_from = _parse_time(payload.get("validFrom"))
    until = _parse_time(payload["validUntil"]) if "validUntil" in payload else None
    if valid_from is None:
        report.fail("dates", "validFrom is missing or not a date")
    elif now < valid_from:
        report.fail("dates", f"not valid before {valid_from.isoformat()}")
    elif until is not None and now >= until:
        report.fail("dates", f"expired on {until.isoformat()}")
    else:
        report.ok(
            "dates",
            f"valid from {valid_from.date().isoformat()}"
            + (f" until {until.isoformat()}" if until else ", does not expire"),
        )


def _check_status(
    payload: dict, report: Report, keys: list[dict], issuer_id: str, offline: bool
) -> None:
    entry = payload.get("credentialStatus")
    if not entry:
        report.notes.append("the credential carries no revocation status")
        return
    if isinstance(entry, list):
        entry = next((e for e in entry if e.get("statusPurpose") == "revocation"), entry[0])
    if (
        entry.get("type") != "BitstringStatusListEntry"
        or entry.get("statusPurpose") != "revocation"
    ):
        report.notes.append(f"status of type {entry.get('type')} not checked")
        return
    url = entry.get("statusListCredential")
    try:
        index = int(entry.get("statusListIndex"))
    except (TypeError, ValueError):
        report.fail("status", "statusListIndex is not a number")
        return
    if offline:
        report.notes.append(f"revocation not checked (offline): {url}")
        return
    try:
        token = fetch(str(url)).decode("ascii", "replace").strip()
    except Unreadable as error:
        report.notes.append(f"revocation not checked: {error}")
        return
    listing = Report()
    status_list = _verified_payload(token, keys, listing, "status list")
    if status_list is None:
        report.fail("status", "the status list cannot be trusted: " + "; ".join(listing.failures))
        return
    subject = status_list.get("credentialSubject") or {}
    if status_list.get("issuer") != issuer_id or status_list.get("id") != url:
        report.fail("status", f"the status list at {url} is not this issuer's")
        return
    if subject.get("statusPurpose") != "revocation":
        report.fail("status", "the status list is not a revocation list")
        return
    try:
        revoked = bitstring.is_set(bitstring.decode(subject.get("encodedList")), index)
    except bitstring.BitstringError as error:
        report.fail("status", f"the status list cannot be read: {error}")
        return
    if revoked:
        report.fail("status", f"revoked by its issuer (status list {url}, index {index})")
    else:
        report.ok(
            "status", f"not revoked (status list checked {datetime.now(UTC):%Y-%m-%d %H:%M} UTC)"
        )


def verify(
    token: str,
    keys: list[dict] | None = None,
    *,
    now: datetime | None = None,
    offline: bool = False,
    expected_issuer: str | None = None,
) -> Report:
    """Every check of a compact JWS credential; ``keys`` None: the JWKS the kid names."""
    report = Report()
    token = token.strip()
    if keys is None:
        try:
            kid = str(jwt.get_unverified_header(token).get("kid") or "")
        except jwt.PyJWTError:
            kid = ""
        if not kid.startswith(("http://", "https://")) or offline:
            report.fail(
                "key", "no JWKS given, and the credential's kid is not an address to fetch it from"
            )
            return report
        try:
            keys = load_jwks(fetch(kid.split("#", 1)[0]), kid)
        except Unreadable as error:
            report.fail("key", str(error))
            return report
    payload = _verified_payload(token, keys, report, "credential")
    if payload is None:
        return report
    _check_claims(payload, report)
    issuer_id = _check_issuer(payload, report, expected_issuer)
    _check_dates(payload, report, now or datetime.now(UTC))
    if issuer_id:
        _check_status(payload, report, keys, issuer_id, offline)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m trainer.credentials.verify",
        description="Verify an Open Badges 3.0 credential (VC-JWT) without the app.",
    )
    parser.add_argument("file", help="the downloaded credential (.jwt)")
    parser.add_argument(
        "--jwks",
        help="the issuer's public keys: a file or an address "
        "(default: the address the credential's kid names)",
    )
    parser.add_argument("--issuer", help="require this issuer id")
    parser.add_argument("--offline", action="store_true", help="do not fetch the status list")
    args = parser.parse_args(argv)
    try:
        token = read_source(args.file).decode("ascii", "replace")
        keys = load_jwks(read_source(args.jwks), args.jwks) if args.jwks else None
    except Unreadable as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    report = verify(token, keys, offline=args.offline, expected_issuer=args.issuer)
    print(report.text())
    return 0 if report.valid else 1


if __name__ == "__main__":
    sys.exit(main())
