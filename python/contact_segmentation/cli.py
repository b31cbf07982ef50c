"""The `segments` command: one entry point, a subcommand per job.

Each subcommand lives in its own module and is imported only when it runs, so that
`segments --help` answers at once (dbt and pyarrow take seconds to import).
"""

from __future__ import annotations

import importlib
import sys

from . import __version__

# subcommand -> (module, one-line summary), in the order of a day's work.
COMMANDS: dict[str, tuple[str, str]] = {
    "build": ("build", "dbt build as of a day, then publish the marts for readers if every test passed"),
    "publish": ("publish", "publish the build's marts by hand (after a backfill, say)"),
    "backfill": ("backfill", "record the segment history of past days, one build per day"),
    "preview": ("preview", "members and a sample of a draft segment on the published warehouse, without a build"),
    "export": ("export", "write segment members as files for email platforms (full, upsert or mirror)"),
    "sync": ("sync.command", "send what changed in segments straight to Mailchimp, Klaviyo, Braze or a webhook"),
    "report": ("report", "the dashboard: one HTML page of the published warehouse"),
    "summary": ("summary", "rows per model, row accounting, rejections and segment sizes"),
    "generate": ("generate.cli", "write synthetic raw landing data (the demo seeds, benchmark data)"),
    "benchmark": ("benchmark", "time a full build, a daily run and a no-batch day against the yardstick"),
    "yardstick": ("yardstick", "the benchmark's plain-DuckDB yardstick on its own"),
}

USAGE = "usage: segments [--version] [--help] <command> [<args>]"


def help_text() -> str:
    width = max(len(name) for name in COMMANDS)
    lines = [USAGE, "", "The contact segmentation warehouse. Commands:", ""]
    lines += [f"  {name:<{width}}  {summary}" for name, (_, summary) in COMMANDS.items()]
    lines += ["", "`segments <command> --help` tells what a command takes and its exit codes."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] in ("-h", "--help", "help"):
        print(help_text())
        return 0 if args else 2
    if args[0] == "--version":
        print(f"segments {__version__}")
        return 0
    if args[0] not in COMMANDS:
        print(f"segments: unknown command '{args[0]}' (one of {', '.join(COMMANDS)}; see segments --help)",
              file=sys.stderr)  # fmt: skip
        return 2
    module = importlib.import_module(f".{COMMANDS[args[0]][0]}", __package__)
    result: int = module.main(args[1:])
    return result
