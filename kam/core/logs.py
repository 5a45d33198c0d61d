"""The server's and the commands' log: standard ``logging``, configured once per process.

Every error that a page or a save catches is logged here with its traceback, so what the
user sees as one short line can be found and fixed. ``KAM_LOG_LEVEL`` sets the level.
"""

from __future__ import annotations

import logging
import os
import sys

NAME = "kam"
_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(process)d]: %(message)s"


_configured = False


def configure() -> logging.Logger:
    """Set the ``kam`` loggers' level and, unless the host process (pytest, say) has configured
    logging already, give them one handler on standard error. Once per process."""
    global _configured
    logger = logging.getLogger(NAME)
    if not _configured:
        _configured = True
        logger.setLevel(os.environ.get("KAM_LOG_LEVEL", "INFO").upper())
        # Streamlit configures only its own loggers, never the root one.
        if not logging.getLogger().handlers:
            handler = logging.StreamHandler(sys.stderr)
            handler.setFormatter(logging.Formatter(_FORMAT))
            logger.addHandler(handler)
            logger.propagate = False
    return logger


def get(name: str) -> logging.Logger:
    """The logger of a ``kam`` module (``get(__name__)``), configured."""
    configure()
    return logging.getLogger(name)
