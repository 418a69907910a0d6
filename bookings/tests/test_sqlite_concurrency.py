"""The zero-setup default (SQLite file) holds too: IMMEDIATE transactions serialise the
availability check and the insert, so 30 simultaneous requests make one booking."""
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_thirty_threads_on_a_sqlite_file_make_one_stay_and_sell_ten_places(tmp_path):
    result = subprocess.run([sys.executable, str(Path(__file__).with_name("sqlite_race.py")),
                             str(tmp_path / "race.sqlite3")], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert Counter(outcome["stays"]) == {"booked": 1, "DatesUnavailable": 29}
    assert Counter(outcome["places"]) == {"booked": 10, "BookingError": 20}
    assert outcome["places_taken"] == 10 and outcome["live_stays"] == 1
