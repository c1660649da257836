"""Uploads that wait for a confirmation (the whole-area workbook, an area's record): kept in
the default storage between the check and the confirmation, since a browser cannot send a
file twice, and remembered in the uploader's session under a key of the page's choosing. Each
new upload replaces the uploader's previous one and clears those of its folder that nobody
confirmed within a day, so abandoned checks do not pile up."""

import datetime
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

STALE_AFTER = datetime.timedelta(days=1)


def _token(name: str) -> str:
    return name.rsplit("/", 1)[-1]


def keep(request, key: str, folder: str, content: bytes, suffix: str) -> str:
    """Store the upload in `folder` for this user; return the token its confirmation sends."""
    forget(request, key)
    clear_stale(folder)
    name = default_storage.save(f"{folder}/{uuid.uuid4().hex}{suffix}", ContentFile(content))
    request.session[key] = name
    return _token(name)


def recall(request, key: str, token: str | None) -> bytes | None:
    """The upload this user kept under `key`, if `token` names it and it is still there."""
    name = request.session.get(key)
    if not name or token != _token(name):
        return None
    try:
        with default_storage.open(name, "rb") as stored:
            return stored.read()
    except FileNotFoundError:
        return None


def forget(request, key: str) -> None:
    """Delete the upload this user kept under `key` (it was confirmed, or replaced)."""
    name = request.session.pop(key, None)
    if name:
        default_storage.delete(name)


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
