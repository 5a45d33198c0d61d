"""Which files to load: the paths given (files or folders) turned into import files, each with
the entity it holds, in dependency order."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from kam.core.i18n import Msg
from kam.importer.entities import DEPENDENCY_ORDER, ENTITIES, FILE_SUFFIXES, entity_for_filename
from kam.importer.rejected import REJECTED_SUFFIX


class UsageError(ValueError):
    """The files asked for cannot be loaded as asked (missing, unknown kind, mixed kinds)."""


@dataclass(frozen=True)
class ImportFile:
    """A file to load, the entity it holds, and the name shown for it (default: its file name)."""

    path: Path
    entity: str
    name: str = ""

    @property
    def label(self) -> str:
        """The name used in messages and the summary."""
        return self.name or self.path.name


def plan_files(paths: Iterable[str | Path], entity: str | None = None) -> list[ImportFile]:
    """The files to load, in dependency order; folders give every import file in them.

    Raises UsageError for a missing path, an unknown entity, a file whose kind cannot be told,
    or ``entity`` given for a file named for another entity.
    """
    if entity is not None and entity not in ENTITIES:
        # Entity names stay as they are here and below: they are what --entity and file names
        # are written with.
        raise UsageError(
            Msg(
                "unknown entity '{entity}'; expected one of {entities}",
                entity=entity,
                entities=", ".join(ENTITIES),
            )
        )
    found: list[ImportFile] = []
    seen: set[Path] = set()
    for given in paths:
        path = Path(given)
        if path.is_dir():
            files = [
                f
                for f in sorted(path.iterdir())
                if f.is_file()
                and f.suffix.lower() in FILE_SUFFIXES
                and not f.name.lower().endswith(REJECTED_SUFFIX)
                and entity_for_filename(f.name) is not None
                and (entity is None or entity_for_filename(f.name) == entity)
            ]
            if not files:
                raise UsageError(
                    Msg(
                        "{path}: no import files in this folder; expected files named after "
                        "their entity ({entities}) ending in .csv or .xlsx",
                        path=str(path),
                        entities=", ".join(ENTITIES),
                    )
                )
            candidates = [(f, entity_for_filename(f.name) or "") for f in files]
        elif path.is_file():
            if path.suffix.lower() not in FILE_SUFFIXES:
                raise UsageError(
                    Msg("{file}: not a .csv or .xlsx file; expected one of those", file=str(path))
                )
            named = entity_for_filename(path.name)
            if entity is not None and named is not None and named != entity:
                raise UsageError(
                    Msg(
                        "{path}: the name says {named}, but --entity says {entity}; expected "
                        "files of one kind with --entity, or no --entity",
                        path=str(path),
                        named=named,
                        entity=entity,
                    )
                )
            kind = entity or named
            if kind is None:
                raise UsageError(
                    Msg(
                        "{path}: cannot tell what this file holds; expected a name starting "
                        "with its entity ({entities}) or --entity",
                        path=str(path),
                        entities=", ".join(ENTITIES),
                    )
                )
            candidates = [(path, kind)]
        else:
            raise UsageError(Msg("{path}: no such file or folder", path=str(path)))
        for file, kind in candidates:
            resolved = file.resolve()
            if resolved not in seen:
                seen.add(resolved)
                found.append(ImportFile(file, kind))
    return sorted(found, key=lambda f: DEPENDENCY_ORDER.index(f.entity))
