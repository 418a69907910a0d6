"""Preview what an import feed would block: ``manage.py calsync_preview PATH_OR_URL``."""

from __future__ import annotations

import argparse
import json
from datetime import date, datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from calsync.fetching import FetchError, fetch_feed
from calsync.parsing import NotACalendar, parse_feed
from core.dates import PARIS
from core.ranges import merge_ranges

UNIT_ZONE = PARIS  # every unit is in France


class Command(BaseCommand):
    help = "Parse an iCalendar feed (file or http(s) URL) and print the nights it blocks."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", help="Path of an .ics file, or an http(s):// URL.")
        parser.add_argument("--json", action="store_true", help="Print {blocked, warnings} as JSON.")
        parser.add_argument(
            "--today",
            type=_iso_date,
            default=None,
            help="Evaluate the feed as of this day (YYYY-MM-DD); default: today in Europe/Paris.",
        )

    def handle(self, *args, **options) -> None:
        content = _read_source(options["source"])
        today = options["today"] or datetime.now(UNIT_ZONE).date()
        try:
            result = parse_feed(content, zone=UNIT_ZONE, today=today)
        except NotACalendar as exc:
            raise CommandError(f"Not a calendar: {exc}") from exc
        blocked = merge_ranges((block.start, block.end) for block in result.blocks)
        if options["json"]:
            payload = {
                "blocked": [[start.isoformat(), end.isoformat()] for start, end in blocked],
                "warnings": result.warnings,
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False))
            return
        for start, end in blocked:
            self.stdout.write(f"[{start.isoformat()}, {end.isoformat()})")
        if not blocked:
            self.stdout.write("(no blocked nights)")
        for warning in result.warnings:
            self.stderr.write(f"warning: {warning}")


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"expected YYYY-MM-DD, got {text!r}") from exc


def _read_source(source: str) -> bytes:
    if source.lower().startswith(("http://", "https://")):
        try:
            result = fetch_feed(source, allow_loopback=getattr(settings, "CALSYNC_ALLOW_LOOPBACK", False))
        except FetchError as exc:
            raise CommandError(f"Download failed: {exc}") from exc
        return result.content or b""
    try:
        return Path(source).read_bytes()
    except OSError as exc:
        raise CommandError(f"Cannot read {source}: {exc.strerror or exc}") from exc
