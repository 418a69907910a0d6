"""`make run`'s demo feed server (Procfile.dev "feeds"): devtools/demo_feeds.py."""
from django.conf import settings
from django.core.management.base import BaseCommand

from devtools.demo_feeds import HOST, make_server


class Command(BaseCommand):
    help = "Serve the demo's calendar feeds on 127.0.0.1 (DEMO_FEEDS_PORT, default 8421)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--port", type=int, default=settings.DEMO_FEEDS_PORT)

    def handle(self, *args, **options) -> None:
        server = make_server(port=options["port"])
        self.stdout.write(f"Demo calendar feeds on http://{HOST}:{server.server_address[1]}/demo-feeds/unit-<id>.ics")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
