"""Any other platform: JSON batches POSTed to a URL, signed with HMAC-SHA256.

POST {SEGMENTS_WEBHOOK_URL}, a JSON body {"batch_id", "as_of", "items": [...]}, each item
{"action": "add"|"update"|"remove", "contact_id", "email", "segments", "profile", "fields"}.
Headers:
  X-Segments-Signature: sha256=<hex HMAC-SHA256 of the raw body with SEGMENTS_WEBHOOK_SECRET>
  Idempotency-Key: the batch_id, the same when a batch is sent again after a crash or a
                   retry, so the receiver can apply it once.
The receiver answers 2xx; a 207 with {"failed": [{"contact_id", "reason"}]} refuses some items.
At most SEGMENTS_WEBHOOK_BATCH_SIZE items (default 500) a request.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from typing import Any

from .base import Destination, chunks, fields_of, require_env
from .http import SyncError
from .state import Batch, Change


class Webhook(Destination):
    name = "webhook"

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.url = require_env("SEGMENTS_WEBHOOK_URL", "the URL that receives the batches")
        self.secret = require_env("SEGMENTS_WEBHOOK_SECRET", "the shared secret the batches are signed with")
        self.client.secrets.append(self.secret)
        size = os.environ.get("SEGMENTS_WEBHOOK_BATCH_SIZE", "500")
        if not size.isdigit() or int(size) < 1:
            raise SyncError(f"SEGMENTS_WEBHOOK_BATCH_SIZE must be a positive whole number, not {size!r}", 2)
        self.limit = int(size)

    def target(self) -> str:
        return f"webhook {self.url}"

    def batches(self, changes: list[Change]) -> list[tuple[str, list[Change]]]:
        return [("items", chunk) for chunk in chunks(changes, self.limit)]

    def send(self, batch: Batch, ids: dict[str, str], what: str) -> tuple[dict[str, str], dict[str, str]]:
        items = [{"action": c.action, "contact_id": c.contact_id, "email": c.email, "segments": c.segments,
                  "profile": c.profile, "fields": fields_of(c)} for c in batch.changes]  # fmt: skip
        # The key is the content's: a batch resent after a crash carries the same one.
        batch_id = hashlib.sha256(json.dumps(items, sort_keys=True, default=str).encode()).hexdigest()[:32]
        body = json.dumps({"batch_id": batch_id, "as_of": self.options.get("as_of"), "items": items},
                          default=str, separators=(",", ":")).encode()  # fmt: skip
        signature = hmac.new(self.secret.encode(), body, hashlib.sha256).hexdigest()
        headers = {"Content-Type": "application/json", "X-Segments-Signature": f"sha256={signature}",
                   "Idempotency-Key": batch_id}  # fmt: skip
        response = self.client.request("POST", self.url, what, headers=headers, data=body)
        if response is None or response.status_code != 207:
            return {}, {}
        failed = response.json().get("failed", [])
        known = {c.contact_id for c in batch.changes}
        return {f["contact_id"]: str(f.get("reason", "refused")) for f in failed if f.get("contact_id") in known}, {}
