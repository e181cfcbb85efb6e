#!/usr/bin/env python3
"""A national-size history written straight into a generated SQLite database
(invented people): creation instants spread over DAYS days, PER_CASE contacts
for each case, a call each (a second call for one in ten), an invitation SMS,
and a place for one case in ten. Used by scripts/bench-figures and
scripts/bench-memory.

Usage: bench-history.py DATABASE PER_CASE DAYS"""
import sqlite3, sys, time
path, per_case, days = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
db = sqlite3.connect(path)
db.execute("PRAGMA synchronous = OFF")
now = int(time.time())
db.execute("UPDATE cases SET created_at = ? - (id % ?) * 86400 - (id % 600) * 60", (now, days))
db.execute("UPDATE cases SET list_submitted_at = created_at + 1800 WHERE id % 2 = 0")
ids = [r[0] for r in db.execute("SELECT id, created_at FROM cases ORDER BY id")]
created = dict(db.execute("SELECT id, created_at FROM cases"))
def batches(rows, size=200_000):
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch; batch = []
    if batch: yield batch
contact_rows = ((c, "Bench", f"Contact{k}", f"+3363998{(c * 10 + k) % 10000:04d}",
                 "validated" if k % 2 else "declared", created[c] + 3600, created[c] + 3600)
                for c in ids for k in range(per_case))
for b in batches(contact_rows):
    db.executemany("INSERT INTO contacts (case_id, first_name, last_name, phone, status, created_at, updated_at) VALUES (?,?,?,?,?,?,?)", b)
call_rows = ((c, "reached" if c % 5 else "no_answer", created[c] + 7200 + (c % 40) * 1800) for c in ids)
db.executemany("INSERT INTO case_calls (case_id, outcome, at) VALUES (?,?,?)", call_rows)
db.executemany("INSERT INTO case_calls (case_id, outcome, at) VALUES (?,?,?)",
               ((c, "reached", created[c] + 90000) for c in ids if c % 10 == 0))
db.executemany("INSERT INTO sms_outbox (kind, to_phone, case_id, status, next_attempt_at, created_at, sent_at) VALUES ('case_invitation', '+33639980000', ?, 'sent', ?, ?, ?)",
               ((c, created[c], created[c], created[c] + 5) for c in ids))
db.executemany("INSERT INTO places (case_id, kind, name, town, visited_on, created_at) VALUES (?, 'restaurant', ?, 'Lyon', date(?, 'unixepoch', '-2 days'), ?)",
               ((c, f"Bench {c % 500}", created[c], created[c]) for c in ids if c % 10 == 0))
db.commit()
