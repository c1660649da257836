"""Versions of the public record, for a page cache that is never stale.

Every public page is cached under the versions of what it shows (config.middleware.
PublicPageCacheMiddleware): an area's pages under that area's version, the home page, the
national files and the municipality pages under the national version, and all pages under
the registry version. Any save or delete of a record of the domain, whatever path it takes
(the admin, the desk, an import, a command, a shell), moves the versions it touches. The
versions live in the shared cache (Redis in production), so every app server sees them move
at once; a page cached under an old version is never read again.

A version is moved when the write happens and once more when its transaction commits: a
reader between the two may cache the page as it was, but not under the version that counts
after the commit.
"""

import time

from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.db.models.signals import post_delete, post_save

NATIONAL = "page-version:national"
REGISTRY = "page-version:registry"
TRACKED_APPS = frozenset({"municipalities", "agreements", "vision"})


def area_key(slug: str) -> str:
    return f"page-version:area:{slug}"


def current(keys: list[str]) -> list[int]:
    """The versions under these keys; a key the cache lost starts again from the clock,
    above any version it had before."""
    found = cache.get_many(keys)
    missing = {key: time.time_ns() for key in keys if key not in found}
    if missing:
        cache.set_many(missing, timeout=None)
        found.update(missing)
    return [found[key] for key in keys]


def bump(keys: list[str]) -> None:
    for key in keys:
        try:
            cache.incr(key)
        except ValueError:  # not in the cache (yet, or any more)
            cache.set(key, time.time_ns(), timeout=None)


def _area_slug(instance) -> str | None:
    """The slug of the area a record belongs to (its model's `area_path`)."""
    obj = instance
    for part in instance.area_path.split("__"):
        obj = obj if part == "pk" else getattr(obj, part)
    return obj.slug


def keys_touched_by(instance) -> list[str]:
    """The versions a write of this record moves."""
    model = type(instance)
    if getattr(model, "instance_type", None) is not None:  # a history row
        return []
    if model._meta.app_label not in TRACKED_APPS:
        return []
    area_path = getattr(model, "area_path", None)
    if model._meta.model_name == "cooperationarea":
        # An area's name or address appears on every page that lists it.
        return [REGISTRY]
    if area_path is None:
        return [REGISTRY] if model._meta.model_name == "municipality" else []
    try:
        slug = _area_slug(instance)
    except ObjectDoesNotExist:  # the area went first: move everything
        return [REGISTRY]
    return [area_key(slug), NATIONAL]


def _changed(sender, instance, raw=False, **kwargs) -> None:
    keys = keys_touched_by(instance)
    if keys:
        bump(keys)
        transaction.on_commit(lambda: bump(keys), robust=True)


def connect() -> None:
    """Called once from MunicipalitiesConfig.ready()."""
    post_save.connect(_changed, dispatch_uid="page_versions_save")
    post_delete.connect(_changed, dispatch_uid="page_versions_delete")
