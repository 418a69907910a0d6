from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    """Development and test tools only (the local Stripe server, the demo calendar feeds).
    Installed by the dev and test settings; production neither installs nor imports it."""

    name = "devtools"
    verbose_name = "Development tools"
