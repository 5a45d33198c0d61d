"""Who a command acts as in the audit trail: the operating-system user, as ``cli:<name>``."""

from __future__ import annotations

import getpass

from kam.core import audit


def cli_actor() -> audit.Actor:
    """The audit actor of a command run by this machine's user."""
    try:
        name = getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (a container's arbitrary uid)
        name = "unknown"
    return audit.Actor(name=f"cli:{name}")
