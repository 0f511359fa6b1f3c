"""A throwaway PostgreSQL cluster for the tests (a pytest plugin, loaded by conftest.py).

The cluster is made with the machine's own server binaries (``/usr/lib/postgresql/*/bin``
or ``initdb`` on PATH) in a temporary folder, listens only on a unix socket in that folder,
and is stopped and removed at the end of the session. When the tests run as root, the
server runs as the ``postgres`` user (PostgreSQL refuses to run as root).

The books database is created and migrated once per session (per xdist worker); before
each test every table is emptied (``TRUNCATE ... RESTART IDENTITY``) and the rows the
migrations seed are put back, which takes milliseconds where ``CREATE DATABASE`` takes
half a second. Tests that need no schema at all use ``pg_empty_url`` (a new database).

Tests under ``tests/ledger`` that use the ``db_url`` fixture (directly or through
``books``) run twice: on SQLite and on PostgreSQL (marker ``postgres``). Mark a test
``@pytest.mark.sqlite_only`` when it is about SQLite itself (its file, its backup API).

Without the binaries the PostgreSQL variants fail in CI (``CI`` set) and are skipped, with
the reason, on a developer's machine.
"""

from __future__ import annotations

import atexit
import contextlib
import itertools
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

SUPERUSER = "postgres"
TEMPLATE = "solebook_template"
LEDGER_TESTS = Path(__file__).parent / "ledger"
BACKENDS = ("sqlite", "postgresql")


def find_bindir() -> Path | None:
    """The folder with initdb/pg_ctl/postgres: PATH first, then the newest Debian version."""
    on_path = shutil.which("initdb")
    if on_path:
        return Path(on_path).resolve().parent
    candidates = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    return candidates[-1].parent if candidates else None


def _as_server_user(argv: list[str]) -> list[str]:
    """Run as ``postgres`` when we are root (the server refuses to run as root)."""
    if os.geteuid() != 0:
        return argv
    if shutil.which("runuser"):
        return ["runuser", "-u", SUPERUSER, "--", *argv]
    return ["su", SUPERUSER, "-s", "/bin/sh", "-c", " ".join(map(_quote, argv))]


def _quote(arg: str) -> str:
    import shlex

    return shlex.quote(arg)


@dataclass
class PgCluster:
    """A running throwaway cluster."""

    bindir: Path
    root: Path
    names: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def datadir(self) -> Path:
        return self.root / "data"

    @property
    def socket_dir(self) -> Path:
        return self.root

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://{SUPERUSER}@/{database}?host={self.socket_dir}"

    def libpq_url(self, database: str) -> str:
        return f"postgresql://{SUPERUSER}@/{database}?host={self.socket_dir}"

    def _run(self, argv: list[str]) -> None:
        result = subprocess.run(_as_server_user(argv), capture_output=True, text=True,
                                check=False)
        if result.returncode != 0:
            log = self.root / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(
                f"{' '.join(argv)} failed ({result.returncode}):\n{result.stdout}"
                f"{result.stderr}\n{tail}"
            )

    def start(self) -> None:
        self._run([str(self.bindir / "initdb"), "-D", str(self.datadir), "-U", SUPERUSER,
                   "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"])
        options = (f"-k {self.socket_dir} -c listen_addresses='' -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=120")
        self._run([str(self.bindir / "pg_ctl"), "-D", str(self.datadir), "-l",
                   str(self.root / "server.log"), "-o", options, "-w", "-t", "60", "start"])

    def stop(self) -> None:
        if (self.datadir / "postmaster.pid").exists():
            with contextlib.suppress(RuntimeError):
                self._run([str(self.bindir / "pg_ctl"), "-D", str(self.datadir), "-m",
                           "immediate", "-w", "stop"])
        shutil.rmtree(self.root, ignore_errors=True)

    def execute(self, sql: str, database: str = "postgres") -> None:
        """Run a statement outside a transaction (CREATE/DROP DATABASE)."""
        import psycopg

        with psycopg.connect(self.libpq_url(database), autocommit=True) as conn:
            conn.execute(sql)  # type: ignore[arg-type]

    def create_database(self, template: str = "template0") -> str:
        name = f"t{os.getpid()}_{next(self.names)}"
        self.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        return name

    def drop_database(self, name: str) -> None:
        self.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def start_cluster() -> PgCluster:
    bindir = find_bindir()
    if bindir is None:
        raise FileNotFoundError("PostgreSQL server binaries (initdb) not found")
    # As root the server user must reach the folder: /tmp, whatever TMPDIR says.
    root = Path(tempfile.mkdtemp(prefix="solebook-pg-",
                                 dir="/tmp" if os.geteuid() == 0 else None))
    if os.geteuid() == 0:
        import pwd

        entry = pwd.getpwnam(SUPERUSER)
        os.chown(root, entry.pw_uid, entry.pw_gid)
    cluster = PgCluster(bindir, root)
    atexit.register(cluster.stop)
    try:
        cluster.start()
    except BaseException:
        cluster.stop()
        raise
    return cluster


# ------------------------------------------------------------------------------ fixtures
@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PgCluster]:
    """The session's PostgreSQL cluster (fails in CI, skips locally, without binaries)."""
    if find_bindir() is None:
        reason = ("PostgreSQL server binaries not found (install the `postgresql` package; "
                  ".ci/run does)")
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason + "; PostgreSQL tests run in CI")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.fail("psycopg is not installed: pip install -e '.[test]'")
    cluster = start_cluster()
    yield cluster
    cluster.stop()


@dataclass(frozen=True)
class Seed:
    """What a freshly migrated database holds (rows the migrations insert, sequences)."""

    rows: dict[str, tuple[list[str], list[tuple[object, ...]]]]
    sequences: list[tuple[str, int]]


def _snapshot(cluster: PgCluster, database: str) -> Seed:
    import psycopg

    with psycopg.connect(cluster.libpq_url(database)) as conn:
        rows = {}
        for (table,) in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = "
                                     "'public' AND tablename <> 'alembic_version'"):
            cursor = conn.execute(f'SELECT * FROM "{table}"')  # type: ignore[arg-type]
            found = cursor.fetchall()
            if found:
                rows[table] = ([c.name for c in cursor.description or ()], found)
        sequences = [(name, value) for name, value in conn.execute(
            "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'")
            if value is not None]
    return Seed(rows, sequences)


def _reset(cluster: PgCluster, database: str, seed: Seed) -> None:
    """Empty every table and put back what the migrations seeded: a fresh database in a
    few milliseconds (CREATE DATABASE takes half a second on a small machine)."""
    import psycopg

    with psycopg.connect(cluster.libpq_url(database), autocommit=True) as conn:
        conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                     "WHERE datname = current_database() AND pid <> pg_backend_pid()")
        tables = [t for (t,) in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
            "AND tablename <> 'alembic_version'")]
        with conn.transaction():
            conn.execute("SET LOCAL session_replication_role = replica")  # no FKs/triggers
            conn.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in tables)  # type: ignore[arg-type]
                         + " RESTART IDENTITY CASCADE")
            for table, (columns, rows) in seed.rows.items():
                names = ", ".join(f'"{c}"' for c in columns)
                marks = ", ".join(["%s"] * len(columns))
                conn.cursor().executemany(
                    f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)  # type: ignore[arg-type]
            for name, value in seed.sequences:
                conn.execute("SELECT setval(%s, %s)", (name, value))


@pytest.fixture(scope="session")
def pg_books(pg_cluster: PgCluster) -> tuple[str, Seed]:
    """This session's (this worker's) books database, migrated once, and its seed."""
    from ledger.store.db import open_database

    name = f"{TEMPLATE}_{os.getpid()}"
    pg_cluster.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
    open_database(pg_cluster.url(name)).close()
    return name, _snapshot(pg_cluster, name)


@pytest.fixture
def pg_url(pg_cluster: PgCluster, pg_books: tuple[str, Seed]) -> str:
    """A PostgreSQL database as freshly migrated, for one test."""
    name, seed = pg_books
    _reset(pg_cluster, name, seed)
    return pg_cluster.url(name)


@pytest.fixture
def pg_empty_url(pg_cluster: PgCluster) -> Iterator[str]:
    """A fresh, empty PostgreSQL database (no schema yet) for one test."""
    name = pg_cluster.create_database()
    yield pg_cluster.url(name)
    pg_cluster.drop_database(name)


@pytest.fixture
def db_backend(request: pytest.FixtureRequest) -> str:
    """``sqlite`` or ``postgresql``: which database the test's ``db_url`` is on."""
    return str(getattr(request, "param", "sqlite"))


@pytest.fixture
def empty_db_url(db_backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """A database without any schema, on the test's backend."""
    if db_backend == "postgresql":
        return str(request.getfixturevalue("pg_empty_url"))
    return str(tmp_path / "empty.sqlite3")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Ledger tests on a database run on both SQLite and PostgreSQL."""
    if "db_backend" not in metafunc.fixturenames:
        return
    path = Path(str(metafunc.definition.path))
    if LEDGER_TESTS not in path.parents:
        return
    if metafunc.definition.get_closest_marker("sqlite_only"):
        return
    if any("db_backend" in getattr(m, "args", ("",))[0]
           for m in metafunc.definition.iter_markers("parametrize")):
        return
    metafunc.parametrize(
        "db_backend",
        [pytest.param("sqlite", id="sqlite"),
         pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres)],
        indirect=True,
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "sqlite_only: a ledger test about SQLite itself (not run on PostgreSQL)"
    )
