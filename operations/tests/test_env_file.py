""".env.example is the configuration reference: it lists exactly the variables the settings
read (found by reading the settings modules' source, so a new env_str(...) cannot slip by),
and each with a meaning. Variables read by the processes rather than the settings (the settings
module, gunicorn's port) are listed in their own section and must be used where it says."""
import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ENV_FILE = ROOT / ".env.example"
SETTINGS = ROOT / "almaheritage" / "settings"
READERS = {"env_str", "env_int", "env_bool", "env_list", "os.environ.get", "os.getenv", "os.environ.setdefault"}
PROCESS_SECTION = "# --- Read by the processes, not by the settings"
PROCESS_FILES = ["manage.py", "almaheritage/wsgi.py", "almaheritage/celery.py", "Procfile", "Dockerfile", "compose.yaml"]
LISTED = re.compile(r"^#?\s*([A-Z][A-Z0-9_]*)=", re.M)


def variables_read_by(source: str) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and ast.unparse(node.func) in READERS and node.args \
                and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
            names.add(node.args[0].value)
        if isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ" \
                and isinstance(node.slice, ast.Constant):
            names.add(node.slice.value)
    return names


def settings_variables() -> set[str]:
    return set().union(*(variables_read_by(path.read_text()) for path in SETTINGS.glob("*.py")))


def listed() -> tuple[set[str], set[str]]:
    text = ENV_FILE.read_text()
    settings_part, _, process_part = text.partition(PROCESS_SECTION)
    return set(LISTED.findall(settings_part)), set(LISTED.findall(process_part))


def test_the_reader_finds_every_kind_of_environment_read():
    source = ('import os\nA = env_str("ONE", env_int("TWO", 1))\nB = os.environ.get("THREE")\n'
              'C = os.environ["FOUR"]\nos.environ.setdefault("FIVE", "x")\nD = env_bool("SIX", False)\n')
    assert variables_read_by(source) == {"ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX"}


def test_the_settings_read_a_plausible_number_of_variables():
    found = settings_variables()
    assert {"SECRET_KEY", "DATABASE_URL", "STRIPE_SECRET_KEY", "CACHE_URL", "STRIPE_PORT"} <= found
    assert len(found) > 50


def test_every_variable_the_settings_read_is_in_the_env_file():
    settings_part, _ = listed()
    assert sorted(settings_variables() - settings_part) == []


def test_the_env_file_lists_no_variable_the_settings_do_not_read():
    settings_part, _ = listed()
    assert sorted(settings_part - settings_variables()) == []


def test_each_variable_has_a_meaning_and_appears_once():
    lines = ENV_FILE.read_text().splitlines()
    seen = []
    for number, line in enumerate(lines):
        match = LISTED.match(line)
        if not match:
            continue
        seen.append(match.group(1))
        above = lines[:number]
        # The nearest line above that is not a variable is its explanation.
        explanation = next(text for text in reversed(above) if not LISTED.match(text))
        assert explanation.startswith("# ") and not explanation.startswith("# ---"), match.group(1)
    assert len(seen) == len(set(seen)), [name for name in seen if seen.count(name) > 1]


def test_process_variables_are_used_by_the_processes_not_the_settings():
    _, process_part = listed()
    assert process_part and not (process_part & settings_variables())
    sources = "\n".join((ROOT / name).read_text() for name in PROCESS_FILES if (ROOT / name).exists())
    for name in process_part:
        assert name in sources, name
