"""Make a large practice database for the benchmarks: a group practice's decade.

``python -m tests.perf.largedb PATH --sessions 1000000`` writes a migrated solebook
database with ten therapists, ten years of sessions (one tenth redeemed from five-session
series, the rest invoiced per client per month), payments for most invoices, and the
invoice numbering the program itself would have produced. Rows go in with bulk inserts on
one raw connection (foreign keys and fsync off while generating, both back on after), so a
million sessions take well under 30 seconds.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import time
from collections import defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path

from ledger.db import open_database
from ledger.money import split_gross
from ledger.sums import rebuild
from ledger.text import search_key

END = date(2026, 11, 24)
PRICES = [(1, 6500, 60), (2, 7500, 75), (3, 4000, 30)]  # treatment id, price, minutes
NOW = datetime(2026, 11, 24, 9, 0).isoformat(sep=" ")


def generate(path: Path, sessions: int = 1_000_000, *, years: int = 10, therapists: int = 10,
             seed: int = 1, clients: int | None = None) -> dict[str, float]:
    started = time.perf_counter()
    if path.exists():
        raise SystemExit(f"{path} exists; give a new file")
    database = open_database(str(path))
    database.close()
    rng = random.Random(seed)
    start = date(END.year - years + 1, 1, 1)
    span = (END - start).days + 1
    clients = clients or max(50, sessions // 50)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("BEGIN")
    # Indexes and triggers are dropped while loading and made again afterwards (faster than
    # keeping them up to date row by row); their definitions come from the schema itself.
    deferred = conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger')"
        " AND sql IS NOT NULL AND tbl_name IN ('treatment_session', 'invoice',"
        " 'invoice_line', 'payment', 'client', 'package')").fetchall()
    for kind, name, _sql in deferred:
        conn.execute(f"DROP {kind.upper()} {name}")
    conn.execute("UPDATE practice SET name = 'Groepspraktijk Zool', address = 'Dorpsstraat 1',"
                 " postcode = '3512 AB', city = 'Utrecht', kvk = '12345678',"
                 " vat_id = 'NL000099998B57', iban = 'NL91ABNA0417164300' WHERE id = 1")
    conn.executemany(
        "INSERT INTO therapist (id, name, agb_code, association, membership_number,"
        " register_number, active) VALUES (?, ?, '90012345', 'VNRT', '', '', 1)",
        [(i, f"Therapeut {i}") for i in range(2, therapists + 1)])
    conn.executemany(
        "INSERT INTO treatment (id, name, duration_min, price_cents, vat_rate,"
        " performance_code, active) VALUES (?, ?, ?, ?, 2100, '24009', 1)",
        [(tid, name, minutes, price) for (tid, price, minutes), name in
         zip(PRICES, ["Voetreflexmassage", "Intake", "Kort consult"], strict=True)])
    conn.execute("INSERT INTO package_plan (id, name, treatment_id, sessions, price_cents,"
                 " valid_days, active) VALUES (1, 'Hardloopreeks', 1, 5, 30000, 365, 1)")
    names = []
    for cid in range(1, clients + 1):
        name = f"Cliënt {cid:06d} {rng.choice(['de Vries', 'Jansen', 'Bakker', 'Çelik'])}"
        names.append((cid, name, search_key(name), f"Straat {cid}", "3512 AB", "Utrecht",
                      NOW))
    conn.executemany(
        "INSERT INTO client (id, name, search_name, address, postcode, city, country, email,"
        " phone, created_at) VALUES (?, ?, ?, ?, ?, ?, 'NL', '', '', ?)", names)

    packages = sessions // 50
    session_rows = []
    billed: dict[tuple[int, int, int], list[int]] = defaultdict(list)
    sid = 0
    package_rows, sale_invoices = [], []
    for pid in range(1, packages + 1):
        client = rng.randrange(1, clients + 1)
        sold = start + timedelta(days=rng.randrange(span - 30))
        package_rows.append((pid, client, sold, sold + timedelta(days=365)))
        sale_invoices.append((sold, client, pid))
        for k in range(5):
            day = sold + timedelta(days=7 * (k + 1))
            if day > END:
                break
            sid += 1
            session_rows.append((sid, client, 1 + sid % therapists, 1, day, 60, 6500, pid))
    while sid < sessions:
        sid += 1
        client = rng.randrange(1, clients + 1)
        day = start + timedelta(days=rng.randrange(span))
        tid, price, minutes = rng.choice(PRICES)
        session_rows.append((sid, client, 1 + sid % therapists, tid, day, minutes, price, None))
        billed[(client, day.year, day.month)].append(sid)
    conn.executemany(
        "INSERT INTO package (id, client_id, plan_id, treatment_id, name, sessions_total,"
        " price_cents, vat_rate, sold_on, expires_on) VALUES (?, ?, 1, 1, 'Hardloopreeks',"
        " 5, 30000, 2100, ?, ?)", package_rows)
    conn.executemany(
        "INSERT INTO treatment_session (id, client_id, therapist_id, treatment_id, date,"
        " duration_min, price_cents, vat_rate, status, package_id, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, 2100, 'given', ?, '" + NOW + "')", session_rows)
    by_id = {row[0]: row for row in session_rows}

    invoices = []  # (date, client, lines)
    for (client, year, month), ids in billed.items():
        last = (date(year, month, 28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        invoices.append((min(last, END), client, [(by_id[i][4], by_id[i][6], i, None)
                                                  for i in ids]))
    for sold, client, pid in sale_invoices:
        invoices.append((sold, client, [(sold, 30000, None, pid)]))
    invoices.sort(key=lambda inv: (inv[0], inv[1]))
    seq: dict[int, int] = defaultdict(int)
    invoice_rows, line_rows, payment_rows = [], [], []
    line_id = 0
    splits: dict[int, tuple[int, int]] = {}
    for iid, (day, client, lines) in enumerate(invoices, start=1):
        seq[day.year] += 1
        net_total = vat_total = gross_total = 0
        for pos, (supply, gross, session_id, package_id) in enumerate(lines, start=1):
            net, vat = splits.get(gross) or splits.setdefault(gross, split_gross(gross, 21))
            line_id += 1
            line_rows.append((line_id, iid, pos, supply, gross, net, vat, gross, session_id,
                              package_id))
            net_total, vat_total, gross_total = net_total + net, vat_total + vat, \
                gross_total + gross
        number = f"{day.year}-{seq[day.year]:04d}"
        invoice_rows.append((iid, client, number, str(day.year), seq[day.year], day,
                             day + timedelta(days=14), net_total, vat_total, gross_total))
        if rng.random() < 0.97:
            paid_on = day + timedelta(days=rng.choice([0, 3, 8, 13, 20]))
            if paid_on <= END:
                payment_rows.append((iid, paid_on, gross_total))
    conn.executemany(
        "INSERT INTO invoice_line (id, invoice_id, position, supply_date, description,"
        " quantity, unit_price_cents, vat_rate, net_cents, vat_cents, gross_cents,"
        " performance_code, session_id, package_id) VALUES (?, ?, ?, ?, 'Voetreflexmassage',"
        " 1, ?, 2100, ?, ?, ?, '24009', ?, ?)", line_rows)
    conn.executemany(
        "INSERT INTO invoice (id, kind, client_id, number, series, seq, date, due_date,"
        " language, vat_regime, regime_text, practice_snapshot, client_snapshot, net_cents,"
        " vat_cents, total_cents, created_at, issued_at) VALUES (?, 'invoice', ?, ?, ?, ?,"
        " ?, ?, 'nl', 'standard', '', '{}', '{}', ?, ?, ?, '" + NOW + "', '" + NOW + "')",
        invoice_rows)
    conn.execute("UPDATE package SET invoice_id = (SELECT invoice_id FROM invoice_line"
                 " WHERE invoice_line.package_id = package.id AND session_id IS NULL)")
    conn.executemany(
        "INSERT INTO payment (invoice_id, date, amount_cents, method, reference, created_at)"
        " VALUES (?, ?, ?, 'bank', '', '" + NOW + "')", payment_rows)
    conn.executemany("INSERT INTO invoice_sequence (series, last_seq) VALUES (?, ?)",
                     [(str(y), n) for y, n in seq.items()])
    for _kind, _name, sql in deferred:
        conn.execute(sql)
    conn.execute("COMMIT")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("ANALYZE")
    problems = conn.execute("PRAGMA foreign_key_check").fetchmany(5)
    conn.close()
    if problems:
        raise SystemExit(f"generated rows break foreign keys: {problems}")
    # The derived month sums and settlements, as the services would have kept them.
    database = open_database(str(path))
    with database.engine.begin() as connection:
        rebuild(connection)
        connection.exec_driver_sql("ANALYZE")
    database.close()
    elapsed = time.perf_counter() - started
    return {"sessions": sid, "clients": clients, "invoices": len(invoice_rows),
            "lines": len(line_rows), "payments": len(payment_rows), "packages": packages,
            "seconds": round(elapsed, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--sessions", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(json.dumps(generate(args.path, args.sessions, seed=args.seed), indent=2))


if __name__ == "__main__":
    main()
