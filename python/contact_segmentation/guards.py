"""The guards every sync of audiences shares (docs/publishing.md "Sync guards").

`segments export` and `segments sync` refuse, with exit code 3, a sync that would likely wipe
or roll back an audience. Each check returns the refusal's message, or None; the command
raises it as its own error.
"""

from __future__ import annotations


def wipe_or_rollback(contacts: int, as_of: str | None, last_as_of: str | None, where: str) -> str | None:
    """An empty mart (an upstream load probably failed), or a mart older than the last one synced."""
    if contacts == 0:
        return f"the mart contact_segments is empty: refusing to sync to {where}; an upstream load probably failed"
    if last_as_of and as_of is not None and as_of < last_as_of:
        return f"the mart is as of {as_of}, older than {last_as_of} already synced to {where}: refusing to go back"
    return None


def mass_removal(subject: str, removed: int, known: int, max_removal_pct: float) -> str | None:
    """More than max_removal_pct % of the `known` members of `subject` would be removed."""
    if not known or removed * 100 <= max_removal_pct * known:
        return None
    return (
        f"{subject} would remove {removed:,} of its {known:,} members ({100 * removed / known:.0f} %), "
        f"more than --max-removal-pct {max_removal_pct:g}: check the mart, or pass --allow-mass-removal"
    )
