"""The drop folder (``python -m kam import --watch DIR``): each new export loaded once, then moved
to done/ or to rejected/ with its problems."""

from __future__ import annotations

import os
import time
from pathlib import Path

from sqlalchemy import func, select

from kam.__main__ import main
from kam.core import audit, db
from kam.core.models import AuditLog, Manager
from kam.importer import watch

MANAGERS = "code,name,email\nK1,Irina Petrova,irina@example.com\n"


def _drop(folder: Path, name: str, text: str, age: float = 60) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    past = time.time() - age
    os.utime(path, (past, past))
    return path


def _imports(engine) -> int:
    with db.reading(engine) as s:
        return s.scalar(select(func.count()).where(AuditLog.action == "import"))


def test_a_sweep_loads_each_file_once_and_moves_it(engine, tmp_path):
    _drop(tmp_path, "managers.csv", MANAGERS)
    _drop(tmp_path, "clients.csv", "code,name,manager_code\nC1,Shop,K9\n")  # unknown manager
    _drop(tmp_path, "notes.csv", "anything\n")  # names no entity
    fresh = _drop(tmp_path, "products.csv", "sku,name\nP1,Milk\n", age=0)  # still being written

    summaries = watch.sweep(engine, tmp_path, actor=audit.SYSTEM)

    assert [(s.file, s.status) for s in summaries] == [
        ("managers.csv", "loaded"),
        ("clients.csv", "rejected"),
    ]
    done = sorted(p.name for p in (tmp_path / "done").iterdir())
    rejected = sorted(p.name for p in (tmp_path / "rejected").iterdir())
    assert [n.split("-", 2)[-1] for n in done] == ["managers.csv"]
    assert sorted(n.split("-", 2)[-1] for n in rejected) == [
        "clients.csv",
        "clients.csv.problems.txt",
        "notes.csv",
        "notes.csv.problems.txt",
    ]
    problems = next((tmp_path / "rejected").glob("*clients.csv.problems.txt")).read_text()
    assert problems.startswith("clients.csv:2: manager_code: unknown manager 'K9'")
    notes = next((tmp_path / "rejected").glob("*notes.csv.problems.txt")).read_text()
    assert "expected a name starting with one of managers, clients" in notes
    assert fresh.exists()  # left for the next round
    with db.reading(engine) as s:
        assert s.scalars(select(Manager.code)).all() == ["K1"]

    # The next sweep finds only the file that has settled since: nothing is loaded twice.
    os.utime(fresh, (time.time() - 60, time.time() - 60))
    again = watch.sweep(engine, tmp_path, actor=audit.SYSTEM)
    assert [(s.file, s.status) for s in again] == [("products.csv", "loaded")]
    assert _imports(engine) == 2


def test_the_command_sweeps_once_and_says_what_it_expects(engine, tmp_path, capsys):
    url = engine.url.render_as_string(hide_password=False)
    _drop(tmp_path, "managers.csv", MANAGERS)
    assert main(["import", "--watch", str(tmp_path), "--once", "--database", url]) == 0
    out = capsys.readouterr().out
    assert "managers.csv" in out and "loaded" in out
    assert not (tmp_path / "managers.csv").exists()

    assert main(["import", "--watch", str(tmp_path), str(tmp_path), "--database", url]) == 2
    assert "expected: kam import --watch DIR" in capsys.readouterr().err
    assert main(["import", "--watch", str(tmp_path / "nowhere"), "--database", url]) == 2
    assert "is not a folder; expected --watch DIR" in capsys.readouterr().err
    assert main(["import", "--database", url]) == 2
    assert "expected PATH... or --watch DIR" in capsys.readouterr().err
