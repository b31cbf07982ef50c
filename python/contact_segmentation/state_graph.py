"""The run order of the daily-run engine as a picture (docs/incremental.md "Run order").

The state models are the SQL models that ref the run manifest, int_incremental_runs
(macros/incremental/state_models.sql); their order is dbt's, from ref(). This draws
the manifest, the state models and the edges between them from a dbt manifest.json
as a Mermaid flowchart (GitHub and most Markdown viewers draw it), ending in the
on-run-end commit. docs/incremental.md holds the drawing between two markers; a
conventions test checks that it is the demo build's.

    python -m contact_segmentation.state_graph target/check/dbt/manifest.json
rewrites the drawing in docs/incremental.md.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

from .warehouse import PROJECT_DIR

MANIFEST_ID = "model.contact_segmentation.int_incremental_runs"
BEGIN = "<!-- state graph: python -m contact_segmentation.state_graph <manifest.json> -->"
END = "<!-- end of state graph -->"
DOC = PROJECT_DIR / "docs" / "incremental.md"


def state_graph(manifest: dict[str, Any]) -> str:
    """The Mermaid flowchart of the run manifest, the state models and the commit."""
    nodes = manifest["nodes"]
    state = sorted(
        uid
        for uid, node in nodes.items()
        if node["resource_type"] == "model"
        and node["language"] == "sql"
        and MANIFEST_ID in node["depends_on"]["nodes"]
        # the segment history reads the manifest for the days it recorded: not state (macro state_models)
        and not node["config"]["meta"].get("segment_history")
    )
    shown = [MANIFEST_ID, *state]
    name = {uid: nodes[uid]["name"] for uid in shown}
    edges = sorted(
        (name[parent], name[uid]) for uid in state for parent in nodes[uid]["depends_on"]["nodes"] if parent in name
    )
    with_children = {parent for parent, _ in edges}
    lines = ["```mermaid", "flowchart TD"]
    lines += [f"    {parent} --> {child}" for parent, child in edges]
    lines += [f"    {name[uid]} --> commit" for uid in state if name[uid] not in with_children]
    lines += ["    commit((on-run-end: commit_state_run))", "```"]
    return "\n".join(lines)


def with_graph(text: str, graph: str) -> str:
    """`text` (docs/incremental.md) with the drawing between the markers replaced by `graph`."""
    pattern = re.compile(re.escape(BEGIN) + r".*?" + re.escape(END), re.S)
    if not pattern.search(text):
        raise ValueError(f"{DOC}: the markers of the state graph are missing")
    return pattern.sub(lambda _: f"{BEGIN}\n{graph}\n{END}", text)


def drawn_graph(text: str) -> str:
    """The drawing between the markers of `text`."""
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    return text[start:end].strip()


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m contact_segmentation.state_graph <manifest.json>", file=sys.stderr)
        return 2
    manifest = json.loads(Path(argv[0]).read_text())
    DOC.write_text(with_graph(DOC.read_text(), state_graph(manifest)))
    print(f"wrote the state graph into {DOC}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
