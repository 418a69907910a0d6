from django.apps import AppConfig


class PayoutsConfig(AppConfig):
    name = "payouts"

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (connects refund_requested)
