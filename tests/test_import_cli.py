"""``python -m kam import``: the summary it prints and its exit codes (0, 1, 2)."""

from __future__ import annotations

import pytest

from kam.__main__ import main
from kam.core import db
from tests.test_import_loading import CLIENTS, MANAGERS, dump, write


def test_everything_loaded_exits_0_with_a_summary(db_url, tmp_path, capsys):
    write(tmp_path, "managers.csv", MANAGERS)
    write(tmp_path, "clients.csv", CLIENTS)
    assert main(["import", str(tmp_path), "--database", db_url]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        "file          entity    rows  inserted  updated  unchanged  rejected  status",
        "managers.csv  managers     2         2        0          0         0  loaded",
        "clients.csv   clients      2         2        0          0         0  loaded",
    ]
    assert err == ""


def test_a_rejected_file_exits_1_and_lists_its_problems(db_url, tmp_path, capsys):
    managers = write(tmp_path, "managers.csv", MANAGERS)
    clients = write(tmp_path, "clients.csv", "code,name,manager_code\nC1,Alpha,M1\nC2,Beta,M9\n")
    assert main(["import", str(clients), str(managers), "--database", db_url]) == 1
    out, err = capsys.readouterr()
    assert out.splitlines()[1:] == [
        "managers.csv  managers     2         2        0          0         0  loaded",
        "clients.csv   clients      2         0        0          0         1  rejected",
        "Already committed in this load, each file on its own: managers.csv. Fix the other "
        "files and load only those again.",
    ]
    assert err.splitlines() == [
        "clients.csv:3: manager_code: unknown manager 'M9'; expected the code of a manager in "
        "the database or in a managers file loaded with this one"
    ]


def test_skip_invalid_exits_1_and_names_the_rejected_rows_file(db_url, tmp_path, capsys):
    write(tmp_path, "managers.csv", MANAGERS)
    write(tmp_path, "clients.csv", "code,name,manager_code\nC1,Alpha,M1\nC2,Beta,M9\n")
    assert main(["import", str(tmp_path), "--skip-invalid", "--database", db_url]) == 1
    out, _ = capsys.readouterr()
    assert (
        "clients.csv   clients      2         1        0          0         1  partly loaded" in out
    )
    assert f"clients.csv: rejected rows written to {tmp_path / 'clients.rejected.csv'}" in out
    assert (tmp_path / "clients.rejected.csv").exists()


def test_dry_run_writes_nothing(db_url, tmp_path, capsys):
    write(tmp_path, "managers.csv", MANAGERS)
    before = dump(db.engine(db_url))
    assert main(["import", str(tmp_path), "--dry-run", "--database", db_url]) == 0
    out, _ = capsys.readouterr()
    assert out.splitlines()[1:] == [
        "managers.csv  managers     2         2        0          0         0  loaded (dry run)",
        "dry run: nothing was written",
    ]
    assert dump(db.engine(db_url)) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["clients.csv", "--entity", "orders"], "unknown entity 'orders'; expected one of"),
        (["missing.csv"], "missing.csv: no such file or folder"),
        (
            ["clients.csv", "sales.csv", "--entity", "clients"],
            "the name says sales, but --entity says clients",
        ),
        (["export.csv"], "cannot tell what this file holds"),
        (["notes.txt"], "not a .csv or .xlsx file"),
    ],
)
def test_bad_usage_exits_2(sqlite_url, tmp_path, capsys, args, message):
    for name in ("clients.csv", "sales.csv", "export.csv", "notes.txt"):
        write(tmp_path, name, CLIENTS)
    before = dump(db.engine(sqlite_url))
    paths = [str(tmp_path / a) if not a.startswith("-") and "." in a else a for a in args]
    assert main(["import", *paths, "--database", sqlite_url]) == 2
    _, err = capsys.readouterr()
    assert err.startswith("kam import: ") and message in err
    assert dump(db.engine(sqlite_url)) == before


def test_an_unreachable_database_exits_2_without_a_traceback(tmp_path, capsys):
    write(tmp_path, "managers.csv", MANAGERS)
    url = "postgresql://nobody@127.0.0.1:9/none"
    assert main(["import", str(tmp_path), "--database", url]) == 2
    _, err = capsys.readouterr()
    assert err.startswith("kam import: cannot use the database (")
    assert err.count("\n") == 1  # one line for the person, not the driver's stack
    db.engine(url).dispose()


def test_no_path_is_a_usage_error(capsys):
    assert main(["import"]) == 2
    assert "no file given; expected PATH... or --watch DIR" in capsys.readouterr().err
