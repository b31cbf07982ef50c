"""What every destination shares: its settings from the environment, batching, the row it sends."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from typing import Any, TypeVar

from ..export import plain_value
from .http import Client, SyncError
from .state import Batch, Change

T = TypeVar("T")
BAD_SETTINGS = 2


def require_env(name: str, what: str) -> str:
    """A setting from the environment (never the command line, where `ps` and shell history show it)."""
    value = os.environ.get(name, "").strip()
    if not value:
        raise SyncError(f"set {name} to {what} (settings and secrets come from the environment)", BAD_SETTINGS)
    return value


def chunks(items: Sequence[T], size: int) -> Iterator[list[T]]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


def previous_segments(change: Change) -> list[str]:
    """The segments the platform held for the contact before this change."""
    return sorted((set(change.segments) - set(change.added_segments)) | set(change.removed_segments))


class Destination:
    """A platform: how changes become batches, and how a batch is sent and read back.

    batches() orders the kinds a platform needs (profiles before the lists that refer to them);
    send() returns the contacts the platform refused item by item, with its reason, and any
    ids it gave (Klaviyo's profile ids, which its list calls take)."""

    name = ""
    limit = 1

    def __init__(self, client: Client, fields: list[str], options: dict[str, Any]) -> None:
        self.client = client
        self.fields = fields
        self.options = options

    def target(self) -> str:
        """What the sync writes to (a list id, a URL): a state folder serves one target only."""
        raise NotImplementedError

    def prepare(self, segments: list[str]) -> None:
        """Look up (and create) what batches refer to: tags, lists, merge fields. Not on a dry run."""

    def batches(self, changes: list[Change]) -> list[tuple[str, list[Change]]]:
        raise NotImplementedError

    def send(self, batch: Batch, ids: dict[str, str], what: str) -> tuple[dict[str, str], dict[str, str]]:
        raise NotImplementedError


def fields_of(change: Change) -> dict[str, Any]:
    return {k: plain_value(v) for k, v in change.fields.items()}


def per_segment(
    changes: list[Change], prefix: str, limit: int, removals: bool = True
) -> list[tuple[str, list[Change]]]:
    """Batches `<prefix>:<segment>:add` and `:remove`, `limit` changes each, segment by segment."""
    out: list[tuple[str, list[Change]]] = []
    names = sorted({s for c in changes for s in (*c.added_segments, *c.removed_segments)})
    for segment in names:
        adds = [c for c in changes if c.action != "remove" and segment in c.added_segments]
        out += [(f"{prefix}:{segment}:add", chunk) for chunk in chunks(adds, limit)]
        if removals:
            gone = [c for c in changes if segment in c.removed_segments]
            out += [(f"{prefix}:{segment}:remove", chunk) for chunk in chunks(gone, limit)]
    return out
