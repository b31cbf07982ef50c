"""Mailchimp Marketing API: audience members, a tag per segment, chosen fields as merge fields.

Requests (https://mailchimp.com/developer/marketing/api/):
  POST /3.0/lists/{list_id}                  batch subscribe/update, at most 500 members, update_existing;
  POST /3.0/lists/{list_id}/segments/{id}    a tag's (static segment's) members_to_add or _to_remove, 500;
  GET/POST /3.0/lists/{list_id}/segments     the tags, found by name and created when missing;
  GET/POST /3.0/lists/{list_id}/merge-fields the merge fields, created (text or number) when missing.
A contact that leaves every synced segment loses its tags and stays in the audience; with
--unsubscribe-removed it is set to unsubscribed (a batch call; archiving has no batch form).
"""

from __future__ import annotations

import os
import re
from base64 import b64encode
from dataclasses import replace
from typing import Any

from ..export import plain_value
from .base import Destination, chunks, per_segment, previous_segments, require_env
from .http import SyncError
from .state import Batch, Change

LIMIT = 500


def merge_tag(name: str) -> str:
    """A field's merge tag: upper case letters and digits, at most 10 characters (Mailchimp's rule)."""
    return re.sub(r"[^A-Z0-9]", "", name.upper())[:10]


class Mailchimp(Destination):
    name = "mailchimp"
    limit = LIMIT

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        key = require_env("MAILCHIMP_API_KEY", "the Mailchimp API key (<key>-<dc>)")
        self.list_id = require_env("MAILCHIMP_LIST_ID", "the audience (list) id")
        # The Basic header carries the key in base64: an echo of it must be masked too.
        self.client.secrets += [key, b64encode(f"segments:{key}".encode()).decode()]
        # MAILCHIMP_SERVER_URL overrides the data centre the key names (a proxy, a test server).
        server = os.environ.get("MAILCHIMP_SERVER_URL") or f"https://{key.rsplit('-', 1)[-1]}.api.mailchimp.com"
        self.api = f"{server.rstrip('/')}/3.0/lists/{self.list_id}"
        self.auth = ("segments", key)
        self.tags = {"first_name": "FNAME", **{f: merge_tag(f) for f in self.fields}}
        clash = [t for t in set(self.tags.values()) if list(self.tags.values()).count(t) > 1 or not t]
        if clash:
            raise SyncError(f"mailchimp: fields {', '.join(self.fields)} give clashing merge tags {clash}", 2)
        self.tag_ids: dict[str, str] = {}

    def target(self) -> str:
        return f"mailchimp list {self.list_id}"

    def get(self, path: str) -> dict[str, Any]:
        response = self.client.request("GET", f"{self.api}{path}", "a lookup", auth=self.auth)
        return response.json() if response is not None else {}

    def prepare(self, segments: list[str]) -> None:
        found = {m["tag"] for m in self.get("/merge-fields?count=1000").get("merge_fields", [])}
        for field, tag in self.tags.items():
            if tag not in found:
                kind = "number" if field in self.options.get("numeric_fields", ()) else "text"
                body = {"tag": tag, "name": field, "type": kind}
                self.client.request("POST", f"{self.api}/merge-fields", "a merge field", body, auth=self.auth)
        static = self.get("/segments?type=static&count=1000").get("segments", [])
        self.tag_ids = {s["name"]: str(s["id"]) for s in static}

    def tag_id(self, segment: str) -> str:
        if segment not in self.tag_ids:
            body = {"name": segment, "static_segment": []}
            response = self.client.request("POST", f"{self.api}/segments", f"creating tag {segment}", body,
                                           auth=self.auth)  # fmt: skip
            self.tag_ids[segment] = str(response.json()["id"]) if response is not None else f"{{id of {segment}}}"
        return self.tag_ids[segment]

    def batches(self, changes: list[Change]) -> list[tuple[str, list[Change]]]:
        # A new email is a new member: it takes every tag, and the old address loses its own.
        keyed = [replace(c, added_segments=c.segments, removed_segments=previous_segments(c)) if c.old_email
                 else c for c in changes]  # fmt: skip
        upserts = [c for c in keyed if c.action != "remove"]
        out = [("members", chunk) for chunk in chunks(upserts, LIMIT)]
        if self.options.get("unsubscribe_removed"):
            removed = [c for c in keyed if c.action == "remove"]
            out += [("unsubscribe", chunk) for chunk in chunks(removed, LIMIT)]
        return out + per_segment(keyed, "tag", LIMIT)

    def member(self, change: Change) -> dict[str, Any]:
        values = {"first_name": change.profile.get("first_name"), **change.fields}
        merge = {self.tags[k]: ("" if v is None else plain_value(v)) for k, v in values.items()}
        return {"email_address": change.email, "status_if_new": "subscribed", "merge_fields": merge}

    def send(self, batch: Batch, ids: dict[str, str], what: str) -> tuple[dict[str, str], dict[str, str]]:
        if batch.kind in ("members", "unsubscribe"):
            if batch.kind == "members":
                members = [self.member(c) for c in batch.changes]
            else:
                members = [{"email_address": c.email, "status": "unsubscribed"} for c in batch.changes]
            by_email = {c.email.lower(): c.contact_id for c in batch.changes}
            body = {"members": members, "update_existing": True}
            response = self.client.request("POST", self.api, what, body, auth=self.auth)
            errors = response.json().get("errors", []) if response is not None else []
            return {by_email[e["email_address"].lower()]: f"{e.get('error_code', '')}: {e.get('error', '')}"
                    for e in errors if e.get("email_address", "").lower() in by_email}, {}  # fmt: skip
        _, segment, op = batch.kind.split(":")
        emails = {(c.old_email or c.email) if op == "remove" else c.email: c.contact_id for c in batch.changes}
        body = {f"members_to_{op}": list(emails)}
        response = self.client.request("POST", f"{self.api}/segments/{self.tag_id(segment)}", what, body,
                                       auth=self.auth)  # fmt: skip
        failures: dict[str, str] = {}
        for error in response.json().get("errors", []) if response is not None else []:
            for email in error.get("email_addresses", []):
                if email in emails:
                    failures[emails[email]] = str(error.get("error", "refused"))
        return failures, {}
