"""The document commands, run as a person runs them: `solebook ...` in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from ledger.billing.documents import archived_documents
from tests.factories import ENGLISH, cli_env, record_session
from tests.invoices import pdftools

ROOT = Path(__file__).resolve().parents[2]


def solebook(db: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tui.cli.main", *ENGLISH, *args], cwd=ROOT,
                          env=cli_env(db), capture_output=True, text=True, timeout=120)


@pytest.fixture
def db(shop: dict[str, Any]) -> str:
    return str(shop["books"].db.path)


def one_line_error(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 1, done
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("solebook: "), done.stderr
    assert "Traceback" not in done.stderr
    return done.stderr


def test_selling_archives_the_invoice_and_pdf_writes_it(shop: dict[str, Any], db: str,
                                                        tmp_path: Path) -> None:
    books = shop["books"]
    done = solebook(db, "package", "sell", "--client", str(shop["anna"].id), "--plan",
                    str(shop["plan"].id), "--date", "24-11-2026")
    assert done.returncode == 0, done.stderr
    archived = books.db.data_dir / "documents" / "2026" / "factuur-2026-0001.pdf"
    assert archived.is_file()
    assert [d.invoice_number for d in archived_documents(books)] == ["2026-0001"]

    out = tmp_path / "factuur.pdf"
    done = solebook(db, "invoice", "pdf", "2026-0001", "-o", str(out), "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["file"] == str(out)
    assert out.read_bytes() == archived.read_bytes()
    text = pdftools.text(out.read_bytes())
    assert "Factuur 2026-0001" in text and "€ 300,00" in text

    done = solebook(db, "invoice", "pdf", "2026-0001")
    assert done.returncode == 0 and done.stdout.strip() == f"2026-0001: {archived}"

    done = solebook(db, "invoice", "verify")
    assert done.returncode == 0 and "1 archived document matches." in done.stdout


def test_every_issuing_command_archives(shop: dict[str, Any], inproc: Any) -> None:
    """In this process: what is checked is the archiving; the commands in processes of
    their own are the test above and the command line's worked example."""
    books, anna, treatment = shop["books"], shop["anna"], shop["treatment"]
    record_session(books, anna.id, treatment.id, package="none")
    assert inproc("invoice", "create", "--client", str(anna.id), "--issue").returncode == 0
    record_session(books, anna.id, treatment.id, package="none")
    from ledger.billing.sessions import create_invoice

    draft = create_invoice(books, anna.id).id
    assert inproc("invoice", "issue", str(draft)).returncode == 0
    assert inproc("invoice", "credit", "2026-0001").returncode == 0
    assert inproc("package", "sell", "--client", str(anna.id), "--plan",
                  str(shop["plan"].id)).returncode == 0
    assert inproc("package", "cancel", "1").returncode == 0
    numbers = [d.invoice_number for d in archived_documents(books)]
    assert numbers == ["2026-0001", "2026-0002", "2026-0003", "2026-0004", "2026-0005"]
    kinds = [d.kind for d in archived_documents(books)]
    assert kinds == ["invoice", "invoice", "credit", "invoice", "credit"]


def test_verify_finds_a_tampered_file(shop: dict[str, Any], db: str) -> None:
    from invoices.archive import archive_pending
    from tests.factories import sell_package

    books = shop["books"]
    sell_package(books, shop["anna"].id, shop["plan"].id)
    [path] = archive_pending(books)
    path.write_bytes(path.read_bytes() + b"\n% tampered\n")
    done = solebook(db, "invoice", "verify")
    assert "archive: 1 problem in the document archive" in one_line_error(done)
    assert "changed" in done.stdout and "2026-0001.pdf was changed" in done.stdout


@pytest.mark.slow
def test_year_batch_and_statements(shop: dict[str, Any], db: str, tmp_path: Path) -> None:
    from tests.factories import sell_package

    books, anna = shop["books"], shop["anna"]
    package = sell_package(books, anna.id, shop["plan"].id)
    for _ in range(13):  # more than the in-process limit: the process pool does the work
        sell_package(books, shop["john"].id, shop["plan"].id)
    record_session(books, anna.id, shop["treatment"].id, package=package.id)
    out = tmp_path / "jaar"
    out.mkdir()
    done = solebook(db, "invoice", "pdf", "--year", "2026", "--out", str(out), "--json")
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)["files"]) == 14
    assert sorted(p.name for p in out.iterdir()) == (
        ["factuur-2026-0001.pdf"] + [f"invoice-2026-{n:04d}.pdf" for n in range(2, 15)])
    assert "Anna de Vries" in pdftools.text((out / "factuur-2026-0001.pdf").read_bytes())

    statement = tmp_path / "declaratie.pdf"
    done = solebook(db, "package", "statement", str(package.id), "-o", str(statement))
    assert done.returncode == 0, done.stderr
    text = pdftools.text(statement.read_bytes())
    assert "Declaratieoverzicht" in text and "€ 60,00" in text and "Dit is geen factuur" in text

    yearly = tmp_path / "jaaroverzicht.pdf"
    done = solebook(db, "client", "statement", str(anna.id), "--year", "2026", "-o",
                    str(yearly))
    assert done.returncode == 0, done.stderr
    assert "Jaaroverzicht 2026" in pdftools.text(yearly.read_bytes())


def read_only_folder(tmp_path: Path) -> Path:
    """A folder nobody can write in: chmod for a normal user; root needs a read-only fs."""
    if os.geteuid() != 0:
        folder = tmp_path / "readonly"
        folder.mkdir()
        folder.chmod(0o500)
        return folder
    return Path("/sys")  # sysfs: not even root may create files there


def test_output_into_a_missing_or_read_only_folder(shop: dict[str, Any], db: str,
                                                   tmp_path: Path, inproc: Any) -> None:
    from tests.factories import sell_package

    sell_package(shop["books"], shop["anna"].id, shop["plan"].id)
    missing = tmp_path / "nope" / "factuur.pdf"
    error = one_line_error(solebook(db, "invoice", "pdf", "2026-0001", "-o", str(missing)))
    assert "does not exist" in error and not missing.parent.exists()
    readonly = read_only_folder(tmp_path)
    target = readonly / "factuur.pdf"
    error = one_line_error(inproc("invoice", "pdf", "2026-0001", "-o", str(target)))
    assert "cannot write" in error
    assert not target.exists() and not any(p.name.startswith(".factuur") for p in
                                           readonly.iterdir())
    for command in (["package", "statement", "1", "-o", str(missing)],
                    ["client", "statement", "1", "--year", "2026", "-o", str(missing)],
                    ["invoice", "pdf", "--year", "2026", "--out", str(tmp_path / "nope")]):
        assert "does not exist" in one_line_error(inproc(*command))


def test_a_failed_render_leaves_no_file(shop: dict[str, Any], tmp_path: Path, inproc: Any,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    import invoices.statements
    from tests.factories import sell_package

    sell_package(shop["books"], shop["anna"].id, shop["plan"].id)

    def broken(*args: object, **kwargs: object) -> bytes:
        raise RuntimeError("a bug while laying out")

    monkeypatch.setattr(invoices.statements, "build_pdf", broken)
    target = tmp_path / "declaratie.pdf"
    error = one_line_error(inproc("package", "statement", "1", "-o", str(target)))
    assert "unexpected error" in error
    assert not target.exists()
    assert not [p for p in tmp_path.iterdir() if "declaratie" in p.name]


def test_usage_and_refusals(shop: dict[str, Any], tmp_path: Path, inproc: Any) -> None:
    assert inproc("invoice", "pdf", "2026-0001", "--year", "2026").returncode == 2
    assert inproc("invoice", "pdf", "--year", "2026").returncode == 2
    assert inproc("invoice", "pdf").returncode == 2
    assert inproc("client", "statement", "1", "-o", "x.pdf").returncode == 2
    assert "no invoice" in one_line_error(inproc("invoice", "pdf", "2099-0001"))
    assert "year" in one_line_error(inproc("client", "statement", "1", "--year", "99999",
                                           "-o", str(tmp_path / "x.pdf")))
    record_session(shop["books"], shop["anna"].id, shop["treatment"].id, package="none")
    assert inproc("invoice", "create", "--client", "1").returncode == 0
    assert "not issued" in one_line_error(inproc("invoice", "pdf", "#1"))
    preview = tmp_path / "concept.pdf"
    assert inproc("invoice", "pdf", "#1", "-o", str(preview)).returncode == 0
    assert "Conceptfactuur" in pdftools.text(preview.read_bytes())


def test_practice_logo_option(shop: dict[str, Any], db: str, tmp_path: Path) -> None:
    from PIL import Image

    from ledger.billing.documents import logo_history

    logo = tmp_path / "logo.png"
    Image.new("RGB", (300, 100), (31, 78, 121)).save(logo)
    done = solebook(db, "practice", "set", "--logo", str(logo), "--json")
    assert done.returncode == 0, done.stderr
    stored = json.loads(done.stdout)["logo"]
    assert (shop["books"].db.data_dir / stored).read_bytes() == logo.read_bytes()
    assert len(logo_history(shop["books"])) == 1


def test_practice_logo_with_other_options_and_refused(shop: dict[str, Any], tmp_path: Path,
                                                      inproc: Any) -> None:
    from PIL import Image

    from ledger.billing.documents import logo_history

    logo = tmp_path / "logo.png"
    Image.new("RGB", (300, 100), (31, 78, 121)).save(logo)
    done = inproc("practice", "set", "--logo", str(logo), "--city", "Zeist")
    assert done.returncode == 0 and "Zeist" in done.stdout
    (tmp_path / "notes.txt").write_text("not an image")
    error = one_line_error(inproc("practice", "set", "--logo", str(tmp_path / "notes.txt")))
    assert "logo:" in error and "not a PNG or JPEG" in error
    assert len(logo_history(shop["books"])) == 1
