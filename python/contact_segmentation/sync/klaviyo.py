"""Klaviyo: profiles through bulk import jobs, a list per segment, chosen fields as properties.

Requests (https://developers.klaviyo.com/en/reference/api_overview, revision below):
  POST /api/profile-bulk-import-jobs             up to 10,000 profiles a job (external_id = contact_id);
  GET  /api/profile-bulk-import-jobs/{id}        polled until the job is complete;
  GET  .../{id}/import-errors, .../{id}/profiles the refused profiles, then the ids of the others;
  POST|DELETE /api/lists/{list_id}/relationships/profiles   list membership, 1,000 profile ids a call;
  GET|POST /api/lists                            the lists, one per segment by name, created when missing.
KLAVIYO_BASE_URL overrides https://a.klaviyo.com (a proxy, a test server).
A contact that leaves every synced segment is taken off their lists; its profile stays.
"""

from __future__ import annotations

import json
import os
import time
from typing import Any

from .base import Destination, fields_of, per_segment, require_env
from .http import SyncError
from .state import Batch, Change

REVISION = "2025-10-15"
JOB_LIMIT = 10_000
# Klaviyo caps a job's payload at 5 MB; the envelope and the list relationship stay far below the margin.
JOB_BYTES = 4_900_000
LIST_LIMIT = 1_000
PAGE_SIZE = 100


class Klaviyo(Destination):
    name = "klaviyo"
    limit = JOB_LIMIT

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        key = require_env("KLAVIYO_API_KEY", "a Klaviyo private API key (profiles and lists: write)")
        self.client.secrets.append(key)
        self.api = (os.environ.get("KLAVIYO_BASE_URL") or "https://a.klaviyo.com").rstrip("/") + "/api"
        self.headers = {"Authorization": f"Klaviyo-API-Key {key}", "revision": REVISION,
                        "Accept": "application/vnd.api+json", "Content-Type": "application/vnd.api+json"}  # fmt: skip
        self.list_ids: dict[str, str] = {}

    def target(self) -> str:
        return f"klaviyo {self.api}"

    def call(self, method: str, url: str, what: str, body: Any = None) -> dict[str, Any]:
        full = url if url.startswith("http") else f"{self.api}{url}"
        response = self.client.request(method, full, what, body, self.headers)
        return response.json() if response is not None and response.content else {}

    def pages(self, url: str, what: str) -> list[dict[str, Any]]:
        """Every item of a paged listing, following links.next."""
        items: list[dict[str, Any]] = []
        next_url: str | None = url
        while next_url:
            answer = self.call("GET", next_url, what)
            items += answer.get("data", [])
            next_url = (answer.get("links") or {}).get("next")
        return items

    def prepare(self, segments: list[str]) -> None:
        lists = self.pages("/lists?fields[list]=name", "a lookup of lists")
        self.list_ids = {item["attributes"]["name"]: item["id"] for item in lists}

    def list_id(self, segment: str) -> str:
        if segment not in self.list_ids:
            body = {"data": {"type": "list", "attributes": {"name": segment}}}
            answer = self.call("POST", "/lists", f"creating list {segment}", body)
            self.list_ids[segment] = answer.get("data", {}).get("id", f"{{id of {segment}}}")
        return self.list_ids[segment]

    def batches(self, changes: list[Change]) -> list[tuple[str, list[Change]]]:
        upserts = [c for c in changes if c.action != "remove"]
        jobs = [("profiles", chunk) for chunk in self.jobs(upserts)]
        return jobs + per_segment(changes, "list", LIST_LIMIT)

    def jobs(self, upserts: list[Change]) -> list[list[Change]]:
        """Import jobs of at most 10,000 profiles and JOB_BYTES of JSON (wide --fields fill 5 MB first)."""
        out: list[list[Change]] = []
        size = 0
        for change in upserts:
            grows = len(json.dumps(self.profile(change), default=str)) + 1
            if not out or len(out[-1]) == JOB_LIMIT or size + grows > JOB_BYTES:
                out.append([])
                size = 0
            out[-1].append(change)
            size += grows
        return out

    def profile(self, change: Change) -> dict[str, Any]:
        attributes = {"email": change.email, "external_id": change.contact_id,
                      "first_name": change.profile.get("first_name"), "properties": fields_of(change)}  # fmt: skip
        return {"type": "profile", "attributes": attributes}

    def send(self, batch: Batch, ids: dict[str, str], what: str) -> tuple[dict[str, str], dict[str, str]]:
        if batch.kind == "profiles":
            return self.import_profiles(batch, what)
        _, segment, op = batch.kind.split(":")
        if self.client.dry_run:  # no job ran: the ids the platform would give, as placeholders
            ids = {c.contact_id: f"{{profile id of {c.contact_id}}}" for c in batch.changes}
        failures = {c.contact_id: "no Klaviyo profile id (its import failed)" for c in batch.changes
                    if c.contact_id not in ids}  # fmt: skip
        data = [{"type": "profile", "id": ids[c.contact_id]} for c in batch.changes if c.contact_id in ids]
        if data:
            method = "POST" if op == "add" else "DELETE"
            self.call(method, f"/lists/{self.list_id(segment)}/relationships/profiles", what, {"data": data})
        return failures, {}

    def import_profiles(self, batch: Batch, what: str) -> tuple[dict[str, str], dict[str, str]]:
        job = {"data": {"type": "profile-bulk-import-job",
                        "attributes": {"profiles": {"data": [self.profile(c) for c in batch.changes]}}}}  # fmt: skip
        answer = self.call("POST", "/profile-bulk-import-jobs", what, job)
        if self.client.dry_run:
            return {}, {}
        job_id = answer["data"]["id"]
        deadline, wait = time.monotonic() + float(self.options.get("job_timeout_s", 600)), 0.1
        status = answer["data"]["attributes"].get("status")
        while status not in ("complete", "cancelled"):
            if time.monotonic() > deadline:
                raise SyncError(f"klaviyo: {what}: import job {job_id} still {status}; the next sync resumes it")
            time.sleep(wait)
            wait = min(wait * 2, 5.0)
            status = self.call("GET", f"/profile-bulk-import-jobs/{job_id}", what)["data"]["attributes"]["status"]
        if status == "cancelled":
            raise SyncError(f"klaviyo: {what}: import job {job_id} was cancelled; the next sync sends it again")
        failures: dict[str, str] = {}
        for error in self.pages(f"/profile-bulk-import-jobs/{job_id}/import-errors", what):
            pointer = str(error.get("attributes", {}).get("source", {}).get("pointer", ""))
            index = pointer.rstrip("/").rsplit("/", 1)[-1]
            if index.isdigit() and int(index) < len(batch.changes):
                failures[batch.changes[int(index)].contact_id] = str(error["attributes"].get("detail", "refused"))
        url = f"/profile-bulk-import-jobs/{job_id}/profiles?fields[profile]=external_id&page[size]={PAGE_SIZE}"
        ids = {p["attributes"]["external_id"]: p["id"] for p in self.pages(url, what)}
        return failures, ids
