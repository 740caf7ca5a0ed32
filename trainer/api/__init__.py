"""The JSON API for HR systems, under /api/v1/: read-only enrolments, progress, attendance
and certificates of the people a coordinator may see, authenticated by the coordinator's
API tokens (``Authorization: Bearer ...``), never by a browser's log-in cookie.

- ``models``: the tokens, stored as SHA-256 hashes; ``tokens``: creating, revoking and
  recognising them; ``token_routes``: the "API tokens" page where coordinators manage theirs.
- ``schemas``: the pydantic models that serialise every response and from which the OpenAPI
  document (``/api/v1/openapi.json``, spectree) is generated.
- ``queries``: one keyset-paginated, scoped query per resource (``auth.policy.scope_people``);
  ``pagination``: opaque cursors and page sizes; ``routes``: the thin views.
"""
