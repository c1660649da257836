"""The bulk data as the site serves it: the zip and its descriptor, from the default storage.

Both are streamed from the storage (never from a public address of an object store, as the
other stored files), with Last-Modified and an ETag from the stored file, so that a client
that has the file gets 304. Until `build_open_data` has run, the address answers 404 with a
page that says so.
"""

from django.core.files.storage import default_storage
from django.http import FileResponse
from django.shortcuts import render
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from .package import DESCRIPTOR_NAME, ZIP_NAME


def _serve(request, name: str, content_type: str, *, attachment: bool):
    if not default_storage.exists(name):
        return render(request, "public/bulk_missing.html", status=404)
    modified = default_storage.get_modified_time(name)
    size = default_storage.size(name)
    etag = f'"{size:x}-{int(modified.timestamp() * 1_000_000):x}"'
    last_modified = int(modified.timestamp())
    unchanged = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if unchanged is not None:
        return unchanged
    response = FileResponse(
        default_storage.open(name, "rb"),
        as_attachment=attachment,
        filename=name.rsplit("/", 1)[-1],
        content_type=content_type,
    )
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    return response


def bulk_download(request):
    """/data/rentai-open-data.zip: every table of the public record (public.bulk)."""
    return _serve(request, ZIP_NAME, "application/zip", attachment=True)


def bulk_descriptor(request):
    """/data/datapackage.json: the descriptor of the zip, to read before downloading it."""
    return _serve(request, DESCRIPTOR_NAME, "application/json", attachment=False)
