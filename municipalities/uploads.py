"""Uploads that wait for a confirmation (the whole-area workbook, an area's record): kept in
the default storage between the check and the confirmation, since a browser cannot send a
file twice. Each new upload also clears the ones of its folder that nobody confirmed within a
day, so abandoned checks do not pile up."""

import datetime
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

STALE_AFTER = datetime.timedelta(days=1)


def keep(folder: str, content: bytes, suffix: str) -> str:
    """Store the upload under a new random name in `folder`; return its name."""
    clear_stale(folder)
    return default_storage.save(f"{folder}/{uuid.uuid4().hex}{suffix}", ContentFile(content))


def clear_stale(folder: str) -> int:
    """Delete the uploads of `folder` older than STALE_AFTER; return how many."""
    try:
        _dirs, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return 0
    limit = timezone.now() - STALE_AFTER
    stale = [
        f"{folder}/{name}"
        for name in files
        if default_storage.get_modified_time(f"{folder}/{name}") < limit
    ]
    for name in stale:
        default_storage.delete(name)
    return len(stale)
