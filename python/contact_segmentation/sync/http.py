"""HTTP for the destinations: retries as the platforms ask, secrets never shown.

Retries are tenacity's (docs/decisions.md, Reverse ETL): a 429 waits what Retry-After (or
Braze's X-RateLimit-Reset) says; a 5xx, a timeout or a dropped connection waits an
exponential backoff with full jitter; after `max_attempts` the sync stops and names the batch.
Any other 4xx is not retried: the request itself is wrong (a bad key, a bad list id).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any

import requests
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt, wait_random_exponential

from ..warehouse import WarehouseError

RETRYABLE_STATUS = {429, 500, 502, 503, 504}
# Longest wait a Retry-After may impose before the sync gives up rather than sleep on.
MAX_RETRY_AFTER_S = 300.0


class SyncError(WarehouseError):
    """A sync that stopped; printed as one line. args: (message, exit code)."""


class RetryableResponse(Exception):
    """A 429 or 5xx answer, raised so that tenacity retries it."""

    def __init__(self, response: requests.Response) -> None:
        super().__init__(f"{response.status_code} {response.reason}")
        self.response = response


def retry_after_seconds(response: requests.Response) -> float | None:
    """What a 429 asks to wait: Retry-After in seconds or as an HTTP date, else X-RateLimit-Reset (epoch s)."""
    value = response.headers.get("Retry-After")
    if value:
        try:
            return max(0.0, float(value))
        except ValueError:
            try:
                return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
            except (TypeError, ValueError):
                return None
    reset = response.headers.get("X-RateLimit-Reset")
    if reset and reset.isdigit():
        return max(0.0, int(reset) - time.time())
    return None


@dataclass
class Client:
    """One destination's HTTP session: its secrets, retry policy and a count of what it sent."""

    destination: str
    secrets: list[str]
    timeout_s: float = 30.0
    max_attempts: int = 6
    backoff_s: float = 1.0
    dry_run: bool = False
    printed: list[str] = field(default_factory=list)
    requests_sent: int = 0
    retries: int = 0

    def __post_init__(self) -> None:
        self.session = requests.Session()

    def mask(self, text: str) -> str:
        for secret in self.secrets:
            if secret:
                text = text.replace(secret, "****")
        return text

    def _wait(self, state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        if isinstance(error, RetryableResponse) and error.response.status_code == 429:
            told = retry_after_seconds(error.response)
            if told is not None:
                if told > MAX_RETRY_AFTER_S:
                    raise SyncError(f"{self.destination}: the platform asks to wait {told:.0f} s; try later")
                return told
        backoff = wait_random_exponential(multiplier=self.backoff_s, max=60 * self.backoff_s)
        return float(backoff(state))

    def request(
        self, method: str, url: str, what: str, body: Any = None, headers: dict[str, str] | None = None,
        data: bytes | None = None, auth: tuple[str, str] | None = None,
    ) -> requests.Response | None:  # fmt: skip
        """Send one request, retried as the module says; None on a dry run (which prints it, masked).
        `what` names the request in messages ("batch 3 of 12 (members)")."""
        if data is None and body is not None:
            data = json.dumps(body, default=str, separators=(",", ":")).encode()
        if self.dry_run:
            shown = {
                k: ("****" if k.lower() in ("authorization", "x-api-key") else v) for k, v in (headers or {}).items()
            }
            line = f"{method} {url} {json.dumps(shown)} {(data or b'').decode()}"
            self.printed.append(self.mask(line))
            return None

        def attempt() -> requests.Response:
            self.requests_sent += 1
            response = self.session.request(method, url, data=data, headers=headers, auth=auth, timeout=self.timeout_s)
            if response.status_code in RETRYABLE_STATUS:
                raise RetryableResponse(response)
            return response

        def count_retry(state: RetryCallState) -> None:
            self.retries += 1

        retrying = Retrying(
            stop=stop_after_attempt(self.max_attempts), wait=self._wait, before_sleep=count_retry, reraise=True,
            retry=retry_if_exception(lambda e: isinstance(e, RetryableResponse | requests.Timeout
                                                          | requests.ConnectionError)),
        )  # fmt: skip
        try:
            response = retrying(attempt)
        except RetryableResponse as error:
            raise SyncError(self.mask(
                f"{self.destination}: {what} failed after {self.max_attempts} attempts: {error}; "
                "the next sync resumes from this batch"
            )) from None  # fmt: skip
        except (requests.Timeout, requests.ConnectionError) as error:
            kind = "timed out" if isinstance(error, requests.Timeout) else "lost its connection"
            raise SyncError(self.mask(
                f"{self.destination}: {what} {kind} {self.max_attempts} times ({url}); "
                "the next sync resumes from this batch"
            )) from None  # fmt: skip
        if response.status_code >= 400:
            raise SyncError(self.mask(
                f"{self.destination}: {what} refused: {response.status_code} {response.reason}: "
                f"{response.text[:300]}; the next sync resumes from this batch"
            ))  # fmt: skip
        return response
