"""Backups of a PostgreSQL database: thin wrappers around ``pg_dump`` and ``pg_restore``.

``solebook backup`` on a ``postgresql+psycopg://`` database runs ``pg_dump -Fc`` (the
custom format, compressed) into a temporary file that is renamed when complete (mode
0600). ``solebook restore FILE`` checks the dump first (``pg_restore --list`` can read it,
it holds the solebook tables and a schema revision this program knows), dumps the
current database aside, and then runs ``pg_restore --clean --if-exists
--single-transaction``: the restore happens completely or not at all.

The tools come from PATH, or else from the newest ``/usr/lib/postgresql/*/bin`` (Debian);
they must be at least as new as the server. The password, if the URL has one, is handed
over in ``PGPASSWORD`` so it never shows in the process list.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from ledger.base.errors import N_, Phrase, StorageError
from ledger.store.files import private_folder, replace_atomic, temp_name
from ledger.store.restored import REQUIRED_TABLES, Restored, default_server_backups


def tool(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    if candidates:
        return str(candidates[-1])
    raise StorageError(
        "backup: {name} is not installed (install the PostgreSQL client tools, e.g. the "
        "postgresql-client package)", name=name
    )


def _quote(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def connection(url: str) -> tuple[str, dict[str, str]]:
    """A libpq connection string for ``url`` and the environment carrying the password."""
    sa_url = make_url(url)
    if sa_url.get_backend_name() != "postgresql":
        raise StorageError(
            "backup: {backend} databases are not supported",
            backend=sa_url.get_backend_name())
    parts = {"host": sa_url.host, "port": sa_url.port, "user": sa_url.username,
             "dbname": sa_url.database}
    for key, value in sa_url.query.items():
        parts[key] = value if isinstance(value, str) else value[-1]
    conninfo = " ".join(f"{k}={_quote(str(v))}" for k, v in parts.items() if v)
    env = dict(os.environ)
    if sa_url.password:
        env["PGPASSWORD"] = str(sa_url.password)
    return conninfo, env


def _run(argv: list[str], env: dict[str, str], what: str) -> str:
    try:
        result = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise StorageError(
            "{what}: cannot run {argv}: {strerror}",
            what=Phrase(what), argv=argv[0], strerror=exc.strerror) from exc
    if result.returncode != 0:
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        reason = lines[0] if lines else f"exit code {result.returncode}"
        raise StorageError(
            "{what}: {name} failed: {reason}",
            what=Phrase(what), name=Path(argv[0]).name, reason=reason)
    return result.stdout


def pg_dump(url: str, target: Path) -> Path:
    """Dump the database to ``target`` (custom format), atomically, mode 0600."""
    if not target.parent.is_dir():
        raise StorageError("backup: the folder {parent} does not exist", parent=target.parent)
    conninfo, env = connection(url)
    temp = temp_name(target)
    try:
        _run([tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
              f"--file={temp}", f"--dbname={conninfo}"], env, N_("backup"))
        replace_atomic(temp, target)
    finally:
        if temp.exists():
            temp.unlink()
    return target


def dump_contents(path: Path) -> tuple[set[str], str | None]:
    """The tables in a custom-format dump and the schema revision stored in it."""
    if not path.is_file():
        raise StorageError("restore: there is no file {path}", path=path)
    with path.open("rb") as fh:
        if fh.read(5) != b"PGDMP":
            raise StorageError("restore: {path} is not a pg_dump file (custom format)", path=path)
    env = dict(os.environ)
    listing = _run([tool("pg_restore"), "--list", str(path)], env, N_("restore"))
    tables = set()
    for line in listing.splitlines():
        words = line.split()
        if not line.startswith(";") and "TABLE" in words and "DATA" not in words:
            index = words.index("TABLE")
            if len(words) > index + 2:
                tables.add(words[index + 2])
    data = _run([tool("pg_restore"), "--data-only", "--table=alembic_version", "--file=-",
                 str(path)], env, N_("restore"))
    revision = None
    lines = data.splitlines()
    for number, line in enumerate(lines):
        if line.startswith("COPY ") and "alembic_version" in line and number + 1 < len(lines):
            revision = lines[number + 1].strip() or None
    return tables, revision


def group_roles_sql() -> Path:
    """Migration 0012's triggers, row-level security, group roles and grants (plain SQL,
    safe to run again)."""
    from ledger.store.migrate import MIGRATIONS

    return MIGRATIONS / "versions" / "0012_group_roles.sql"


def reapply_group_roles(url: str) -> None:
    """After ``pg_restore --no-privileges`` (which leaves out every grant): the group roles'
    grants, the notes' row-level policy and the triggers as migration 0012 made them, when
    the restored books have had that migration (a dump of older books gets them when the
    program next opens the books and migrates them)."""
    from sqlalchemy import create_engine, inspect
    from sqlalchemy.exc import SQLAlchemyError

    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            columns = {column["name"] for column in inspect(conn).get_columns("health_note")}
            if "author_id" in columns:
                conn.exec_driver_sql(group_roles_sql().read_text(encoding="utf-8"),
                                     execution_options={"no_parameters": True})
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", exc)).splitlines()[0]
        raise StorageError("restore: the books were restored, but the database roles' "
                           "rights could not be set again ({reason})", reason=reason) from exc
    finally:
        engine.dispose()


def pg_restore(url: str, source: Path, now: datetime) -> Restored:
    from sqlalchemy import create_engine, inspect, text

    from ledger.store.migrate import known_revisions

    tables, revision = dump_contents(source)
    if "alembic_version" not in tables or not tables >= REQUIRED_TABLES:
        raise StorageError("restore: {source} is not a dump of a solebook database", source=source)
    if revision is None or revision == "\\.":
        raise StorageError("restore: {source} holds no schema revision", source=source)
    if revision not in known_revisions():
        raise StorageError("restore: {source} was made by a newer version of solebook (schema "
                           "{revision}); update the program first",
                           source=source, revision=revision)
    conninfo, env = connection(url)
    folder = default_server_backups()
    private_folder(folder)
    name = make_url(url).database or "solebook"
    aside = pg_dump(url, folder / f"{name}.replaced-{now.strftime('%Y%m%d-%H%M%S')}.dump")
    engine = create_engine(url)
    try:
        with engine.begin() as conn:  # tables of a newer schema that the dump lacks
            for table in set(inspect(conn).get_table_names()) - tables:
                conn.execute(text(f'DROP TABLE IF EXISTS "{table}" CASCADE'))
    finally:
        engine.dispose()
    try:
        _run([tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges",
              "--single-transaction", "--exit-on-error", f"--dbname={conninfo}", str(source)],
             env, N_("restore"))
    except StorageError as exc:
        raise StorageError(
            "{message}; the database before restoring is in {aside}",
            message=exc, aside=aside
                           ) from exc
    reapply_group_roles(url)
    return Restored(source, make_url(url).render_as_string(hide_password=True), aside,
                    revision)
