"""The import graph between apps (the contracts in pyproject.toml, `[tool.importlinter]`):
core at the bottom, then accounts, domains | exports, lodgings | experiences, bookings,
payouts | calsync, donations, public, demo_data, almaheritage on top; nothing of the platform imports
devtools or bench. `lint-imports` runs the same contracts from the command line."""
from copy import deepcopy
from pathlib import Path

import grimp
import pytest
from django.conf import settings
from django.core.management import get_commands
from django.utils.module_loading import import_string
from importlinter.application.use_cases import read_user_options
from importlinter.cli import lint_imports
from importlinter.contracts.forbidden import ForbiddenContract
from importlinter.contracts.layers import LayersContract

from core.jobruns import JobCommand

ROOT = Path(__file__).resolve().parents[2]
CONFIG = str(ROOT / "pyproject.toml")
CONTRACT_TYPES = {"layers": LayersContract, "forbidden": ForbiddenContract}


@pytest.fixture(scope="module")
def options():
    return read_user_options(CONFIG)


@pytest.fixture(scope="module")
def root_packages(options) -> list[str]:
    return options.session_options["root_packages"]


@pytest.fixture(scope="module")
def graph(root_packages):
    return grimp.build_graph(*root_packages, cache_dir=None)


def broken_contracts(options, graph) -> set[str]:
    broken = set()
    for contract_options in options.contracts_options:
        contract = CONTRACT_TYPES[contract_options["type"]](
            name=contract_options["name"], session_options=options.session_options, contract_options=contract_options)
        if not contract.check(deepcopy(graph), verbose=False).kept:
            broken.add(contract_options["id"])
    return broken


def with_import(graph, importer: str, imported: str):
    changed = deepcopy(graph)
    changed.add_import(importer=importer, imported=imported)
    return changed


def test_the_apps_keep_their_import_contracts():
    # On failure, pytest shows lint-imports' report: which module imports which, on what line.
    assert lint_imports(config_filename=CONFIG, no_cache=True, no_logo=True) == 0


def test_the_contracts_hold_on_the_graph_the_next_tests_change(options, graph):
    assert broken_contracts(options, graph) == set()


@pytest.mark.parametrize(("importer", "imported"), [
    ("exports.writers", "bookings.models"),  # exports knows no client
    ("domains.services", "lodgings.models"),  # an offer type registers itself, domains never imports it
    ("experiences.models", "lodgings.models"),  # the two offer types are independent
    ("calsync.services", "payouts.models"),  # so are the apps above bookings
    ("accounts.models", "domains.models"),
    ("core.money", "almaheritage.settings"),  # nothing imports the project package
    ("public.views", "demo_data.management.commands.seed_demo"),
])
def test_an_upward_or_sideways_import_breaks_the_layers(options, graph, importer, imported):
    assert broken_contracts(options, with_import(graph, importer, imported)) == {"layers"}


def test_importing_development_tools_breaks_the_platform_contract(options, graph):
    assert broken_contracts(options, with_import(graph, "bookings.services", "devtools.apps")) == {"devtools"}


def test_a_test_may_build_its_fixtures_from_any_app(options, graph):
    assert broken_contracts(options, with_import(graph, "core.tests.test_money", "bookings.models")) == set()


def test_every_package_of_the_repository_is_under_the_contracts(root_packages):
    packages = {path.parent.name for path in ROOT.glob("*/__init__.py")}
    assert packages == set(root_packages)
    ours = {app for app in settings.INSTALLED_APPS if (ROOT / app).is_dir()}
    assert ours <= set(root_packages)


def test_almaheritage_holds_only_settings_urls_celery_and_wsgi(graph):
    allowed = ("almaheritage.settings", "almaheritage.urls", "almaheritage.celery", "almaheritage.wsgi",
               "almaheritage.tests")
    modules = graph.find_descendants("almaheritage")
    assert modules and all(module.startswith(allowed) for module in modules), sorted(modules)


def test_no_module_inside_an_app_is_named_like_an_app(graph, root_packages):
    # bin/makemessages runs manage.py inside each app's directory, and Celery's Django fixup puts
    # that directory first on sys.path: a `bookings/exports.py` would then be imported as `exports`.
    clashes = [child for package in root_packages for child in graph.find_children(package)
               if child.rsplit(".", 1)[1] in root_packages]
    assert clashes == []


def test_every_periodic_job_is_also_a_management_command():
    commands = get_commands()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        app, _tasks, name = entry["task"].split(".")
        assert callable(import_string(entry["task"]))
        assert commands.get(name) == app, entry["task"]
        # Run by hand, it is recorded like the worker's runs (core.jobruns, operations.jobs).
        command = import_string(f"{app}.management.commands.{name}.Command")
        assert issubclass(command, JobCommand) and command().task_name() == entry["task"]
