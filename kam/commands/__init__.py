"""Sub-commands of ``python -m kam``; each module has ``add_parser`` and ``run``."""
