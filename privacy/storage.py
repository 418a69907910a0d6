"""Where the "Mes données" ZIP files live: PRIVACY_EXPORT_ROOT, outside MEDIA_ROOT, so no
media URL ever reaches them; only privacy.views.download serves one, to its owner."""
from django.conf import settings
from django.core.files.storage import FileSystemStorage


def export_storage() -> FileSystemStorage:
    # A callable (FileField(storage=…)): the setting is read at use, so tests and the
    # environment can move the folder without a migration.
    return FileSystemStorage(location=str(settings.PRIVACY_EXPORT_ROOT), base_url=None,
                             directory_permissions_mode=0o700, file_permissions_mode=0o600)
