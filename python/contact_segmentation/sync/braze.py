"""Braze: user attributes through /users/track, 75 attribute objects a request (Braze's limit).

Request (https://www.braze.com/docs/api/endpoints/user_data/post_user_track/):
  POST {BRAZE_REST_ENDPOINT}/users/track  {"attributes": [{"external_id": ..., ...}, ...]}
Users are keyed by external_id = contact_id. Segment membership is one boolean custom
attribute per segment, `seg_<name>`: true while a member, false once it left (a removed
contact has every synced segment set to false; the user itself is never deleted).
Item errors come back in a 201 answer's `errors` (type, input_array, index).
"""

from __future__ import annotations

from typing import Any

from .base import Destination, chunks, fields_of, require_env
from .state import Batch, Change

LIMIT = 75


class Braze(Destination):
    name = "braze"
    limit = LIMIT

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        key = require_env("BRAZE_API_KEY", "a Braze REST API key with users.track")
        self.endpoint = require_env("BRAZE_REST_ENDPOINT", "your instance's REST endpoint").rstrip("/")
        self.client.secrets.append(key)
        self.headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}

    def target(self) -> str:
        return f"braze {self.endpoint}"

    def batches(self, changes: list[Change]) -> list[tuple[str, list[Change]]]:
        return [("attributes", chunk) for chunk in chunks(changes, LIMIT)]

    def attributes(self, change: Change) -> dict[str, Any]:
        left = {f"seg_{s}": False for s in change.removed_segments}
        if change.action == "remove":
            return {"external_id": change.contact_id, **left}
        profile = {k: v for k, v in change.profile.items() if k in ("first_name", "country", "language")}
        return {"external_id": change.contact_id, "email": change.email, **profile, **fields_of(change), **left,
                **{f"seg_{s}": True for s in change.segments}}  # fmt: skip

    def send(self, batch: Batch, ids: dict[str, str], what: str) -> tuple[dict[str, str], dict[str, str]]:
        body = {"attributes": [self.attributes(c) for c in batch.changes]}
        response = self.client.request("POST", f"{self.endpoint}/users/track", what, body, self.headers)
        errors = response.json().get("errors", []) if response is not None else []
        failures = {}
        for error in errors:
            index = error.get("index")
            if error.get("input_array") == "attributes" and isinstance(index, int) and index < len(batch.changes):
                failures[batch.changes[index].contact_id] = str(error.get("type", "refused"))
        return failures, {}
