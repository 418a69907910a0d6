import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "almaheritage.settings.dev")

app = Celery("almaheritage")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def make_filesystem_broker_folders(sender, **kwargs) -> None:
    """kombu's filesystem transport (the zero-setup default) needs its folders to exist."""
    for key in ("data_folder_in", "data_folder_out", "processed_folder"):
        folder = sender.conf.broker_transport_options.get(key)
        if folder:
            os.makedirs(folder, exist_ok=True)
