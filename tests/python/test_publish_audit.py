"""The publish audit: a build that collapsed (an emptied or half contacts file, a batch mostly
rejected, an events feed that stopped) is not published; --allow-drop publishes and records it.

Each scenario lands the same 300-contact data set with one thing wrong, builds a fresh
warehouse of it, and publishes with `segments publish` over what readers have: the good
build of the same data."""

from __future__ import annotations

import csv
import datetime as dt
import getpass
import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest
from conftest import PROJECT_DIR, SEGMENTS, full_build, generate_raw

AS_OF = dt.date(2026, 3, 31)


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_raw(tmp_path_factory.mktemp("source"), contacts=300, days=40, end_date=AS_OF.isoformat(), seed=7)


class Landing:
    """One landing folder (one path, so that every build shares dbt's parse), rewritten per scenario."""

    def __init__(self, source: Path, root: Path) -> None:
        self.source, self.root, self.folder = source, root, root / "landing"
        self.published = root / "published" / "segments.duckdb"

    def build(self, name: str, as_of: dt.date = AS_OF, contacts: list[list[str]] | None = None) -> Path:
        """A fresh warehouse of the source data, with contacts.csv's data rows replaced when given; built
        once per name in this worker (two tests publish the emptied file)."""
        built = self.root / name / "built.duckdb"
        if built.exists():
            return built
        shutil.rmtree(self.folder, ignore_errors=True)
        shutil.copytree(self.source, self.folder)
        if contacts is not None:
            with (self.folder / "contacts.csv").open("w", newline="") as handle:
                csv.writer(handle, quoting=csv.QUOTE_ALL).writerows([self.contacts()[0], *contacts])
        home = self.root / name
        home.mkdir()
        # A copy: dbt-duckdb keeps the build's file open in this process.
        return full_build(home, "audit", self.folder, as_of, tests=False).copy_to(home / "built.duckdb")

    def contacts(self) -> list[list[str]]:
        with (self.source / "contacts.csv").open(newline="") as handle:
            return list(csv.reader(handle))

    def publish(self, db: Path, *args: str) -> subprocess.CompletedProcess[str]:
        command = [*SEGMENTS, "publish", "--db", str(db), "--published", str(self.published), *args]
        return subprocess.run(command, cwd=PROJECT_DIR, capture_output=True, text=True)

    def fingerprint(self) -> str:
        return hashlib.sha256(self.published.read_bytes()).hexdigest()

    def query(self, sql: str) -> list[tuple]:
        with duckdb.connect(str(self.published), read_only=True) as con:
            return con.execute(sql).fetchall()


@pytest.fixture(scope="module")
def good(source: Path, tmp_path_factory: pytest.TempPathFactory) -> Landing:
    landing = Landing(source, tmp_path_factory.mktemp("audit"))
    done = landing.publish(landing.build("good"))
    assert done.returncode == 0, done.stderr
    return landing


@pytest.fixture
def landing(good: Landing, tmp_path: Path) -> Landing:
    """What readers have is the good build, published here for this test alone."""
    mine = Landing(good.source, good.root)
    shutil.copytree(good.published.parent, tmp_path / "published")
    mine.published = tmp_path / "published" / "segments.duckdb"
    return mine


def contacts_published(landing: Landing) -> tuple[int, int]:
    return landing.query("select count(*), count(*) filter (where is_email_sendable) from contact_segments")[0]


def test_an_emptied_contacts_file_is_refused_and_readers_keep_the_last_day(landing: Landing) -> None:
    before, kept = contacts_published(landing), landing.fingerprint()
    assert before == (294, 193), "the seeded data set: 310 contact rows, 294 contacts, 193 sendable"
    empty = landing.build("empty", contacts=[])
    done = landing.publish(empty)
    assert done.returncode == 4, done.stderr
    assert "publish: not published: contacts fell from 294 to 0 (-100 %), more than publish_max_drop_pct 20" in (
        done.stderr
    )
    assert f"email-sendable contacts fell from {before[1]} to 0 (-100 %)" in done.stderr
    assert "readers keep the one of 2026-03-31" in done.stderr
    assert landing.fingerprint() == kept, "the published file changed"


@pytest.mark.parametrize(("last_kept", "contacts", "code"), [("C0000210", 206, 4), ("C0000270", 264, 0)])
def test_a_half_delivered_contacts_file_is_refused_past_the_threshold(landing: Landing, last_kept: str, contacts: int,
                                                                      code: int) -> None:  # fmt: skip
    """The file cut short, as an interrupted export is, after contact C0000210 takes the 294 contacts
    to 206 (-30 %, refused); after C0000270, to 264 (-10 %, published). Their events and tags are then
    rejected as unknown_contact, which the rejected-rows rule leaves to this one."""
    rows = landing.contacts()[1:]
    assert len(rows) == 310
    done = landing.publish(landing.build(f"half-{last_kept}", contacts=[r for r in rows if r[0] <= last_kept]))
    assert done.returncode == code, done.stderr
    if code == 4:
        assert f"contacts fell from 294 to {contacts} (-30 %), more than publish_max_drop_pct 20" in done.stderr
    else:
        assert contacts_published(landing)[0] == contacts


def test_a_batch_with_15_percent_rejected_rows_is_refused(landing: Landing) -> None:
    rows = landing.contacts()[1:]
    # 47 of the 310 rows (15 %), every sixth and a half, lose their contact_id: rejected one by one.
    chosen = {index * 310 // 47 for index in range(47)}
    broken = [["", *row[1:]] if index in chosen else row for index, row in enumerate(rows)]
    assert sum(1 for r in broken if not r[0]) == 47
    done = landing.publish(landing.build("rejected", contacts=broken))
    assert done.returncode == 4, done.stderr
    assert (
        "contacts: 47 of the 310 rows of batch contacts.csv rejected (15 %), more than publish_max_rejected_pct 10"
        in (done.stderr)
    )


def test_an_events_feed_three_days_stale_warns_and_is_refused_when_so_configured(landing: Landing) -> None:
    stale = landing.build("stale", as_of=AS_OF + dt.timedelta(days=3))
    refused = landing.publish(stale, "--vars", "{publish_refuse_stale: true}")
    assert refused.returncode == 4, refused.stderr
    finding = (
        "events: the newest is of 2026-03-31, 3 days before as_of 2026-04-03, more than publish_max_staleness_days 2"
    )
    assert f"not published: {finding}" in refused.stderr
    warned = landing.publish(stale)
    assert warned.returncode == 0, warned.stderr
    assert f"publish: warning: {finding}" in warned.stderr
    day, verdict, findings = landing.query("select as_of_date::varchar, verdict, findings from publication")[0]
    assert (day, verdict) == ("2026-04-03", "published") and findings.startswith(finding)


def test_allow_drop_publishes_and_records_who_overrode_the_audit(landing: Landing) -> None:
    emptied = landing.build("empty", contacts=[])
    assert landing.publish(emptied).returncode == 4
    done = landing.publish(emptied, "--allow-drop")
    assert done.returncode == 0, done.stderr
    assert contacts_published(landing) == (0, 0)
    verdict, by, findings, measures = landing.query(
        "select verdict, overridden_by, findings, measures from publication"
    )[0]  # fmt: skip
    assert (verdict, by) == ("published with --allow-drop", getpass.getuser())
    assert findings.startswith("contacts fell from 294 to 0 (-100 %)")
    assert json.loads(measures)["contacts"] == 0
    audits = landing.query("select verdict from publication_audits order by audited_at")
    assert audits == [("published",), ("refused",), ("published with --allow-drop",)]
    page = landing.published.with_name("report.html")
    shown = subprocess.run([*SEGMENTS, "report", "--db", str(landing.published), "--out", str(page)], cwd=PROJECT_DIR,
                           capture_output=True, text=True)  # fmt: skip
    assert shown.returncode == 0, shown.stderr
    line = page.read_text().split('id="audit">', 1)[1].split("</div>", 1)[0]
    assert line.startswith(f"publish audit: published with --allow-drop by {getpass.getuser()}, ")
    assert "contacts fell from 294 to 0 (-100 %)" in line
