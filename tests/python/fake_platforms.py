"""Local stand-ins for the email platforms, on 127.0.0.1, for `segments sync` tests.

Each holds the platform's state (members, tags, lists, attributes), checks every request
body against the platform's documented request shape (JSON Schema written from its public
API reference, cited per schema), answers as the platform does, its error shapes included,
and injects faults: 429 with Retry-After, 5xx in a row, a timeout, a connection reset,
item-level errors for about 1 % of the items, and kill -9 of the client after a batch.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import signal
import socket
import struct
import threading
import time
from base64 import b64decode
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote

import jsonschema

SECRET = "sk-test-d0n0tl34k-7f3a9c"  # every platform's key; a test checks it is never shown


def fails_items(email: str, pct: float) -> bool:
    """The items a platform refuses under the item-error fault: about pct % of emails, always the same."""
    return pct > 0 and int(hashlib.sha256(email.lower().encode()).hexdigest()[:8], 16) % 10_000 < pct * 100


@dataclass
class Sent:
    """One request as the platform saw it: its kind (with the tag or list it is for), answer and size."""

    method: str
    path: str
    kind: str
    status: int
    items: int = 0
    digest: str = ""
    group: str = ""


class FakePlatform:
    """A platform's HTTP API in a thread: subclasses route requests and hold the platform's state."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.log: list[Sent] = []
        self.violations: list[str] = []
        self.faults: list[str] = []  # applied one by one to data requests, from the fault_at-th on
        self.fault_at = 2
        self.item_error_pct = 0.0
        self.kill: tuple[int, int] | None = None  # (pid, after this many applied data requests)
        self.data_requests = 0
        self.applied = 0
        platform = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                platform.dispatch(self, "GET")

            def do_POST(self) -> None:
                platform.dispatch(self, "POST")

            def do_DELETE(self) -> None:
                platform.dispatch(self, "DELETE")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def check(self, what: str, instance: Any, schema: dict[str, Any]) -> bool:
        errors = [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(instance)]
        self.violations += [f"{what}: {e}" for e in errors]
        return not errors

    def data_kinds(self) -> list[str]:
        """Kinds of request that carry a batch (as log kinds)."""
        raise NotImplementedError

    def route(self, method: str, path: str, headers: Any, raw: bytes) -> tuple[int, dict[str, str], Any, str]:
        """(status, headers, body, kind) for one request, having applied it to the state."""
        raise NotImplementedError

    def dispatch(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        raw = handler.rfile.read(int(handler.headers.get("Content-Length") or 0))
        handler.path = unquote(handler.path)
        with self.lock:
            kind = self.kind_of(method, handler.path)
            fault = None
            if kind in self.data_kinds():
                self.data_requests += 1
                if self.faults and self.data_requests >= self.fault_at:
                    fault = self.faults.pop(0)
            if fault in ("429", "500", "502", "503"):
                self.log.append(Sent(method, handler.path, kind, int(fault)))
                extra = {"Retry-After": "1"} if fault == "429" else {}
                self.reply(handler, int(fault), extra, self.error_body(int(fault)))
                return
            if fault == "echo":  # a proxy's 400 that repeats the request, credentials included
                self.log.append(Sent(method, handler.path, kind, 400))
                echoed = {"message": "bad request", "headers": dict(handler.headers), "body": raw.decode()[:500]}
                self.reply(handler, 400, {}, echoed)
                return
            if fault == "reset":
                self.log.append(Sent(method, handler.path, kind, 0))
                handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                handler.connection.close()
                handler.close_connection = True
                handler.wfile = open(os.devnull, "wb")  # noqa: SIM115 - the socket is gone; write nowhere
                return
            status, extra, body, kind = self.route(method, handler.path, handler.headers, raw)
            digest = hashlib.sha256(raw).hexdigest()[:16] if raw else ""
            items, operation = self.items(raw)
            group = f"{kind} {method} {handler.path.split('?')[0]} {operation}"
            self.log.append(Sent(method, handler.path, kind, status, items, digest, group))
            if kind in self.data_kinds() and status < 300:
                self.applied += 1
                if self.kill and self.applied == self.kill[1]:
                    os.kill(self.kill[0], signal.SIGKILL)  # confirmed here, never heard by the client
                    time.sleep(0.2)
        if fault == "timeout":
            time.sleep(3.0)  # applied, but answered after the client's --timeout (1 s in that test)
        self.reply(handler, status, extra, body)

    def kind_of(self, method: str, path: str) -> str:
        raise NotImplementedError

    def error_body(self, status: int) -> Any:
        return {"status": status, "title": "Service Unavailable"}

    def reply(self, handler: BaseHTTPRequestHandler, status: int, headers: dict[str, str], body: Any) -> None:
        try:
            data = b"" if body is None else json.dumps(body).encode()
            handler.send_response(status)
            for key, value in {"Content-Type": "application/json", **headers}.items():
                handler.send_header(key, value)
            handler.send_header("Content-Length", str(len(data)))
            handler.end_headers()
            handler.wfile.write(data)
        except OSError:
            pass  # the client gave up (timeout) or was killed

    def items(self, raw: bytes) -> tuple[int, str]:
        """How many items a request carried (members, attributes, profiles, ids), and its operation."""
        body = json.loads(raw) if raw else {}
        for key in ("members", "attributes", "items", "members_to_add", "members_to_remove"):
            if isinstance(body, dict) and key in body:
                return len(body[key]), key
        data = body.get("data") if isinstance(body, dict) else None
        if isinstance(data, list):
            return len(data), "ids"
        if isinstance(data, dict) and "profiles" in data.get("attributes", {}):
            return len(data["attributes"]["profiles"]["data"]), "profiles"
        return 0, ""

    def sent(self) -> list[Sent]:
        """The data requests the platform accepted."""
        return [s for s in self.log if s.status < 300 and s.kind in self.data_kinds()]

    def batches_by_group(self) -> dict[str, list[int]]:
        """Items of each accepted data request, by what it was for (a kind, its path, its operation);
        a retry (the same body again) counted once."""
        groups: dict[str, list[int]] = {}
        seen: set[tuple[str, str]] = set()
        for sent in self.sent():
            if (sent.group, sent.digest) not in seen:
                seen.add((sent.group, sent.digest))
                groups.setdefault(sent.group, []).append(sent.items)
        return groups


# Mailchimp Marketing API 3.0, https://mailchimp.com/developer/marketing/api/lists/batch-subscribe-or-unsubscribe/
# and .../list-segments/batch-add-or-remove-members/, .../list-merges/add-merge-field/, .../list-segments/add-segment/
MC_STATUS = {"enum": ["subscribed", "unsubscribed", "cleaned", "pending", "transactional"]}
MC_BATCH = {
    "type": "object", "required": ["members"], "additionalProperties": False,
    "properties": {
        "members": {"type": "array", "maxItems": 500, "items": {
            "type": "object", "required": ["email_address"], "additionalProperties": False,
            "properties": {"email_address": {"type": "string"}, "email_type": {"enum": ["html", "text"]},
                           "status": MC_STATUS, "status_if_new": MC_STATUS, "language": {"type": "string"},
                           "merge_fields": {"type": "object"}, "vip": {"type": "boolean"}},
        }},
        "sync_tags": {"type": "boolean"}, "update_existing": {"type": "boolean"},
    },
}  # fmt: skip
MC_EMAILS = {"type": "array", "maxItems": 500, "items": {"type": "string"}}
MC_SEGMENT_MEMBERS = {"type": "object", "additionalProperties": False,
                      "properties": {"members_to_add": MC_EMAILS, "members_to_remove": MC_EMAILS}}  # fmt: skip
MC_MERGE_FIELD = {"type": "object", "required": ["name", "type"],
                  "properties": {"tag": {"type": "string", "maxLength": 10, "pattern": "^[A-Z0-9_]+$"},
                                 "name": {"type": "string"},
                                 "type": {"enum": ["text", "number", "address", "phone", "date", "url", "imageurl",
                                                   "radio", "dropdown", "birthday", "zip"]}}}  # fmt: skip
MC_NEW_SEGMENT = {"type": "object", "required": ["name"],
                  "properties": {"name": {"type": "string"}, "static_segment": MC_EMAILS}}  # fmt: skip


class Mailchimp(FakePlatform):
    LIST = "a1b2c3d4e5"

    def __init__(self) -> None:
        super().__init__()
        self.members: dict[str, dict[str, Any]] = {}  # email (lower) -> status, merge_fields, tags
        self.segments: dict[str, str] = {}  # id -> name (tags are static segments)
        self.merge_fields = {"FNAME": "text", "LNAME": "text"}

    def data_kinds(self) -> list[str]:
        return ["members", "tag"]

    def kind_of(self, method: str, path: str) -> str:
        base = f"/3.0/lists/{self.LIST}"
        if method == "POST" and path == base:
            return "members"
        if method == "POST" and re.fullmatch(f"{base}/segments/\\d+", path):
            return "tag"
        return f"lookup {method} {path.split('?')[0]}"

    def error_body(self, status: int) -> Any:
        return {"type": "https://mailchimp.com/developer/marketing/docs/errors/", "title": "Server Error",
                "status": status, "detail": "try again", "instance": ""}  # fmt: skip

    def route(self, method: str, path: str, headers: Any, raw: bytes) -> tuple[int, dict[str, str], Any, str]:
        kind = self.kind_of(method, path)
        auth = headers.get("Authorization", "")
        if not auth.startswith("Basic ") or b64decode(auth[6:]).decode().split(":", 1)[-1] != SECRET:
            return 401, {}, {"title": "API Key Invalid", "status": 401, "detail": "Your API key may be invalid"}, kind
        body: Any = json.loads(raw) if raw else {}
        base = f"/3.0/lists/{self.LIST}"
        if kind == "members" and self.check("batch subscribe", body, MC_BATCH):
            return 200, {}, self.batch_subscribe(body), kind
        if kind == "tag" and self.check("segment members", body, MC_SEGMENT_MEMBERS):
            return 200, {}, self.tag_members(path.rsplit("/", 1)[-1], body), kind
        if method == "GET" and path.startswith(f"{base}/merge-fields"):
            return 200, {}, {"merge_fields": [{"tag": t, "type": k} for t, k in self.merge_fields.items()]}, kind
        if method == "POST" and path == f"{base}/merge-fields" and self.check("merge field", body, MC_MERGE_FIELD):
            self.merge_fields[body["tag"]] = body["type"]
            return 200, {}, {"tag": body["tag"], "type": body["type"]}, kind
        if method == "GET" and path.startswith(f"{base}/segments"):
            return 200, {}, {"segments": [{"id": int(i), "name": n, "type": "static"}
                                          for i, n in self.segments.items()]}, kind  # fmt: skip
        if method == "POST" and path == f"{base}/segments" and self.check("new segment", body, MC_NEW_SEGMENT):
            new_id = str(1000 + len(self.segments))
            self.segments[new_id] = body["name"]
            return 200, {}, {"id": int(new_id), "name": body["name"], "type": "static"}, kind
        return 400, {}, {"title": "Invalid Resource", "status": 400, "detail": f"{method} {path}"}, kind

    def batch_subscribe(self, body: dict[str, Any]) -> dict[str, Any]:
        created, updated, errors = [], [], []
        for member in body["members"]:
            email = member["email_address"].lower()
            unknown = set(member.get("merge_fields", {})) - set(self.merge_fields)
            if fails_items(email, self.item_error_pct) or unknown:
                reason = f"{email} looks fake or invalid" if not unknown else f"unknown merge fields {unknown}"
                errors.append(
                    {"email_address": member["email_address"], "error": reason, "error_code": "ERROR_GENERIC"}
                )
                continue
            existing = self.members.get(email)
            if existing is not None and not body.get("update_existing"):
                errors.append({"email_address": email, "error": f"{email} is already a list member",
                               "error_code": "ERROR_CONTACT_EXISTS"})  # fmt: skip
                continue
            if existing is None:
                existing = self.members[email] = {"status": member.get("status_if_new", "subscribed"),
                                                  "merge_fields": {}, "tags": set()}  # fmt: skip
                created.append({"email_address": email})
            else:
                updated.append({"email_address": email})
            if "status" in member:
                existing["status"] = member["status"]
            existing["merge_fields"].update(member.get("merge_fields", {}))
        return {"new_members": created, "updated_members": updated, "errors": errors,
                "total_created": len(created), "total_updated": len(updated), "error_count": len(errors)}  # fmt: skip

    def tag_members(self, segment_id: str, body: dict[str, Any]) -> dict[str, Any]:
        tag, added, removed, bad = self.segments[segment_id], [], [], []
        for email in body.get("members_to_add", []):
            if email.lower() in self.members:
                self.members[email.lower()]["tags"].add(tag)
                added.append({"email_address": email})
            else:
                bad.append(email)
        for email in body.get("members_to_remove", []):
            if email.lower() in self.members:
                self.members[email.lower()]["tags"].discard(tag)
                removed.append({"email_address": email})
        errors = [{"email_addresses": bad, "error": "Email addresses are not subscribed to the list"}] if bad else []
        return {"members_added": added, "members_removed": removed, "errors": errors,
                "total_added": len(added), "total_removed": len(removed), "error_count": len(bad)}  # fmt: skip


# Braze /users/track, https://www.braze.com/docs/api/endpoints/user_data/post_user_track/ (75 objects an array)
BRAZE_TRACK = {
    "type": "object", "additionalProperties": False,
    "properties": {k: {"type": "array", "maxItems": 75, "items": {
        "type": "object", "anyOf": [{"required": ["external_id"]}, {"required": ["braze_id"]},
                                    {"required": ["user_alias"]}, {"required": ["email"]}],
    }} for k in ("attributes", "events", "purchases")},
}  # fmt: skip


class Braze(FakePlatform):
    def __init__(self) -> None:
        super().__init__()
        self.users: dict[str, dict[str, Any]] = {}

    def data_kinds(self) -> list[str]:
        return ["track"]

    def kind_of(self, method: str, path: str) -> str:
        return "track" if (method, path) == ("POST", "/users/track") else f"other {method} {path}"

    def error_body(self, status: int) -> Any:
        return {"message": "Internal Server Error"} if status != 429 else {"message": "Rate limit exceeded"}

    def route(self, method: str, path: str, headers: Any, raw: bytes) -> tuple[int, dict[str, str], Any, str]:
        kind = self.kind_of(method, path)
        if headers.get("Authorization") != f"Bearer {SECRET}":
            return 401, {}, {"message": "Invalid API key"}, kind
        body: Any = json.loads(raw) if raw else {}
        if kind != "track" or not self.check("users/track", body, BRAZE_TRACK):
            return 400, {}, {"message": "Bad request", "errors": self.violations[-3:]}, kind
        errors = []
        for index, attributes in enumerate(body.get("attributes", [])):
            if fails_items(str(attributes.get("email", "")), self.item_error_pct):
                errors.append({"type": "'email' is not a valid email address", "input_array": "attributes",
                               "index": index})  # fmt: skip
                continue
            self.users.setdefault(attributes["external_id"], {}).update(
                {k: v for k, v in attributes.items() if k != "external_id"})  # fmt: skip
        answer: dict[str, Any] = {"message": "success", "attributes_processed": len(body["attributes"]) - len(errors)}
        if errors:
            answer["errors"] = errors
        return 201, {}, answer, kind


# Klaviyo API, revision 2025-10-15: https://developers.klaviyo.com/en/reference/bulk_import_profiles,
# .../get_bulk_import_profiles_job, .../get_bulk_import_profiles_job_errors (import-errors),
# .../get_bulk_import_profiles_job_profiles, .../add_profiles_to_list, .../remove_profiles_from_list, .../create_list
KL_PROFILE = {"type": "object", "required": ["type", "attributes"], "properties": {
    "type": {"const": "profile"},
    "attributes": {"type": "object", "anyOf": [{"required": ["email"]}, {"required": ["phone_number"]},
                                               {"required": ["external_id"]}],
                   "properties": {"email": {"type": "string"}, "external_id": {"type": "string"},
                                  "first_name": {"type": ["string", "null"]}, "properties": {"type": "object"}}},
}}  # fmt: skip
KL_JOB = {"type": "object", "required": ["data"], "properties": {"data": {
    "type": "object", "required": ["type", "attributes"], "properties": {
        "type": {"const": "profile-bulk-import-job"},
        "attributes": {"type": "object", "required": ["profiles"], "properties": {"profiles": {
            "type": "object", "required": ["data"],
            "properties": {"data": {"type": "array", "minItems": 1, "maxItems": 10_000, "items": KL_PROFILE}}}}},
        "relationships": {"type": "object"}}}}}  # fmt: skip
KL_PROFILE_IDS = {"type": "object", "required": ["data"], "properties": {"data": {
    "type": "array", "minItems": 1, "maxItems": 1000,
    "items": {"type": "object", "required": ["type", "id"],
              "properties": {"type": {"const": "profile"}}}}}}  # fmt: skip
KL_NEW_LIST = {"type": "object", "required": ["data"], "properties": {"data": {
    "type": "object", "required": ["type", "attributes"],
    "properties": {"type": {"const": "list"}, "attributes": {"required": ["name"]}}}}}  # fmt: skip


class Klaviyo(FakePlatform):
    def __init__(self) -> None:
        super().__init__()
        self.profiles: dict[str, dict[str, Any]] = {}  # id -> email, external_id, first_name, properties
        self.lists: dict[str, dict[str, Any]] = {}  # id -> name, members (profile ids)
        self.jobs: dict[str, dict[str, Any]] = {}

    def data_kinds(self) -> list[str]:
        return ["import job", "list add", "list remove"]

    def kind_of(self, method: str, path: str) -> str:
        bare = path.split("?")[0]
        if method == "POST" and bare == "/api/profile-bulk-import-jobs":
            return "import job"
        if bare.endswith("/relationships/profiles") and method in ("POST", "DELETE"):
            return "list add" if method == "POST" else "list remove"
        return f"other {method} {bare}"

    def error_body(self, status: int) -> Any:
        return {"errors": [{"id": "e1", "status": status, "code": "error", "title": "Server error", "detail": ""}]}

    def page(self, items: list[dict[str, Any]], path: str) -> dict[str, Any]:
        """A JSON:API page of 100 at most, with links.next as Klaviyo gives it (a page cursor)."""
        cursor = int(re.search(r"page\[cursor\]=(\d+)", path).group(1)) if "page[cursor]" in path else 0  # type: ignore[union-attr]
        size = min(100, int(re.search(r"page\[size\]=(\d+)", path).group(1))) if "page[size]" in path else 20  # type: ignore[union-attr]
        base = self.url + re.sub(r"&?page\[cursor\]=\d+", "", path)
        joiner = "&" if "?" in base else "?"
        more = cursor + size < len(items)
        return {"data": items[cursor : cursor + size],
                "links": {"next": f"{base}{joiner}page[cursor]={cursor + size}" if more else None}}  # fmt: skip

    def route(self, method: str, path: str, headers: Any, raw: bytes) -> tuple[int, dict[str, str], Any, str]:
        kind, bare = self.kind_of(method, path), path.split("?")[0]
        if headers.get("Authorization") != f"Klaviyo-API-Key {SECRET}" or not headers.get("revision"):
            return 401, {}, {"errors": [{"status": 401, "code": "not_authenticated", "title": "Unauthorized"}]}, kind
        body: Any = json.loads(raw) if raw else {}
        if kind == "import job" and self.check("bulk import job", body, KL_JOB):
            return 202, {}, self.run_job(body["data"]["attributes"]["profiles"]["data"]), kind
        if kind.startswith("list ") and self.check("list relationships", body, KL_PROFILE_IDS):
            members = self.lists[bare.split("/")[3]]["members"]
            ids = {p["id"] for p in body["data"]}
            members.update(ids) if method == "POST" else members.difference_update(ids)
            return 204, {}, None, kind
        if method == "GET" and bare == "/api/lists":
            items = [{"type": "list", "id": i, "attributes": {"name": v["name"]}} for i, v in self.lists.items()]
            return 200, {}, self.page(items, path), kind
        if method == "POST" and bare == "/api/lists" and self.check("create list", body, KL_NEW_LIST):
            new_id = f"L{len(self.lists) + 1:05d}"
            self.lists[new_id] = {"name": body["data"]["attributes"]["name"], "members": set()}
            return (
                201,
                {},
                {"data": {"type": "list", "id": new_id, "attributes": {"name": self.lists[new_id]["name"]}}},
                kind,
            )
        match = re.fullmatch(r"/api/profile-bulk-import-jobs/([^/]+)(/import-errors|/profiles)?", bare)
        if method == "GET" and match and match.group(1) in self.jobs:
            job = self.jobs[match.group(1)]
            if match.group(2) == "/import-errors":
                return 200, {}, self.page(job["errors"], path), kind
            if match.group(2) == "/profiles":
                items = [{"type": "profile", "id": p, "attributes": {"external_id": self.profiles[p]["external_id"]}}
                         for p in job["profiles"]]  # fmt: skip
                return 200, {}, self.page(items, path), kind
            job["polls"] += 1  # processing on the first poll, complete on the second
            status = "complete" if job["polls"] > 1 else "processing"
            return 200, {}, {"data": {"type": "profile-bulk-import-job", "id": match.group(1),
                                      "attributes": {"status": status}}}, kind  # fmt: skip
        return 404, {}, {"errors": [{"status": 404, "code": "not_found", "title": f"{method} {bare}"}]}, kind

    def run_job(self, profiles: list[dict[str, Any]]) -> dict[str, Any]:
        job_id = f"J{len(self.jobs) + 1:05d}"
        done, errors = [], []
        for index, profile in enumerate(profiles):
            attributes = profile["attributes"]
            if fails_items(attributes.get("email", ""), self.item_error_pct):
                errors.append({"type": "import-error", "id": f"{job_id}-{index}", "attributes": {
                    "code": "invalid", "title": "Invalid input.", "detail": "Invalid email address",
                    "source": {"pointer": f"/data/attributes/profiles/data/{index}"}}})  # fmt: skip
                continue
            profile_id = next((p for p, v in self.profiles.items() if v["external_id"] == attributes["external_id"]),
                              f"P{len(self.profiles) + 1:06d}")  # fmt: skip
            stored = self.profiles.setdefault(profile_id, {"properties": {}})
            stored.update({k: v for k, v in attributes.items() if k != "properties"})
            stored["properties"].update(attributes.get("properties", {}))
            done.append(profile_id)
        self.jobs[job_id] = {"profiles": done, "errors": errors, "polls": 0}
        return {"data": {"type": "profile-bulk-import-job", "id": job_id, "attributes": {"status": "queued"}}}


WEBHOOK_BODY = {"type": "object", "required": ["batch_id", "items"], "properties": {
    "batch_id": {"type": "string"}, "as_of": {"type": ["string", "null"]},
    "items": {"type": "array", "minItems": 1, "maxItems": 500, "items": {
        "type": "object", "required": ["action", "contact_id", "email", "segments", "profile", "fields"],
        "properties": {"action": {"enum": ["add", "update", "remove"]}, "segments": {"type": "array"}}}}}}  # fmt: skip


class Webhook(FakePlatform):
    """A receiver as the README's webhook contract asks: checks the signature, applies each key once."""

    def __init__(self) -> None:
        super().__init__()
        self.contacts: dict[str, dict[str, Any]] = {}
        self.seen_keys: dict[str, Any] = {}
        self.deliveries: dict[str, int] = {}  # contact_id -> items applied

    def data_kinds(self) -> list[str]:
        return ["batch"]

    def kind_of(self, method: str, path: str) -> str:
        return "batch" if (method, path) == ("POST", "/hooks/segments") else f"other {method} {path}"

    def route(self, method: str, path: str, headers: Any, raw: bytes) -> tuple[int, dict[str, str], Any, str]:
        kind = self.kind_of(method, path)
        expected = "sha256=" + hmac.new(SECRET.encode(), raw, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(headers.get("X-Segments-Signature", ""), expected):
            return 401, {}, {"error": "bad signature"}, kind
        body = json.loads(raw)
        if kind != "batch" or not self.check("webhook batch", body, WEBHOOK_BODY):
            return 400, {}, {"error": "bad batch"}, kind
        key = headers.get("Idempotency-Key", "")
        if key != body["batch_id"]:
            self.violations.append("Idempotency-Key is not the batch_id")
        if key in self.seen_keys:
            return self.seen_keys[key][0], {}, self.seen_keys[key][1], "batch repeat"
        failed = []
        for item in body["items"]:
            if fails_items(item["email"], self.item_error_pct):
                failed.append({"contact_id": item["contact_id"], "reason": "mailbox does not exist"})
                continue
            self.deliveries[item["contact_id"]] = self.deliveries.get(item["contact_id"], 0) + 1
            if item["action"] == "remove":
                self.contacts.pop(item["contact_id"], None)
            else:
                self.contacts[item["contact_id"]] = item
        answer: tuple[int, Any] = (207, {"failed": failed}) if failed else (200, {"received": len(body["items"])})
        self.seen_keys[key] = answer
        return answer[0], {}, answer[1], kind
