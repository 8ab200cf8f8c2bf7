"""What the stand-in web frameworks share: one fixed logged-in user, the views a sample
declares, and, once the sample's own code has run, one request to each view whose answer is
printed as a JSON line: {"route": ..., "status": ..., "body": ...}."""

import atexit
import json
import os
import uuid
from types import SimpleNamespace

DEFAULT_USER = {"id": 123, "uuid": "6f1c2b9e-8a3d-4c5e-9f70-1a2b3c4d5e6f", "email": "alice@example.com",
                "name": "Alice"}


def fixed_user():
    """The logged-in user: SAMPLE_USER (JSON) or DEFAULT_USER, as an object (user.email)."""
    data = json.loads(os.environ["SAMPLE_USER"]) if os.environ.get("SAMPLE_USER") else dict(DEFAULT_USER)
    if "uuid" in data:
        data["uuid"] = uuid.UUID(data["uuid"])
    return SimpleNamespace(**data)


_views = []


def declare(route, call):
    """A view to request once the sample has run: call() returns (status, body)."""
    _views.append((route, call))


def _serve():
    for route, call in _views:
        status, body = call()
        print(json.dumps({"route": route, "status": status, "body": body}))


atexit.register(_serve)
