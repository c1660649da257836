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

import logging
import time

from django.apps import apps
from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.db.models.signals import (
    m2m_changed,
    post_delete,
    post_migrate,
    post_save,
    pre_save,
)

logger = logging.getLogger(__name__)

NATIONAL = "page-version:national"
REGISTRY = "page-version:registry"
TRACKED_APPS = ("municipalities", "agreements", "vision")
# A version unused this long is dropped; it starts again from the clock, above any earlier
# value, so dropping one only costs a fresh render.
VERSION_SECONDS = 24 * 60 * 60


def area_key(slug: str) -> str:
    return f"page-version:area:{slug}"


def current(keys: list[str]) -> list[int]:
    """The versions under these keys; a key the cache lost starts again from the clock,
    above any version it had before."""
    found = cache.get_many(keys)
    missing = {key: time.time_ns() for key in keys if key not in found}
    if missing:
        cache.set_many(missing, timeout=VERSION_SECONDS)
        found.update(missing)
    return [found[key] for key in keys]


def bump(keys: list[str]) -> None:
    """Move these versions. A cache that does not answer must not stop the write that
    asked: the failure is logged (the pages it keeps then lapse within PAGE_CACHE_SECONDS)."""
    try:
        for key in keys:
            try:
                cache.incr(key)
                cache.touch(key, VERSION_SECONDS)
            except ValueError:  # not in the cache (yet, or any more)
                cache.set(key, time.time_ns(), timeout=VERSION_SECONDS)
    except Exception:
        logger.exception("Could not move the page versions %s", keys)


def _area_slug(instance) -> str:
    """The slug of the area a record belongs to (its model's `area_path`)."""
    obj = instance
    for part in instance.area_path.split("__"):
        obj = obj if part == "pk" else getattr(obj, part)
    return obj.slug


def _saved_area_slug(instance) -> str | None:
    """The slug of the area the saved row belongs to now, before this save changes it."""
    path = instance.area_path
    lookup = "slug" if path == "pk" else f"{path}__slug"
    return (
        type(instance)._default_manager.filter(pk=instance.pk).values_list(lookup, flat=True)
    ).first()


def keys_touched_by(instance) -> list[str]:
    """The versions a write of this record moves."""
    model = type(instance)
    if model._meta.model_name == "cooperationarea":
        # An area's name or address appears on every page that lists it.
        return [REGISTRY]
    if getattr(model, "area_path", None) is None:
        return [REGISTRY] if model._meta.model_name == "municipality" else []
    try:
        slug = _area_slug(instance)
    except ObjectDoesNotExist:  # the area went first: move everything
        return [REGISTRY]
    keys = [area_key(slug), NATIONAL]
    moved_from = getattr(instance, "_page_versions_moved_from", None)
    if moved_from and moved_from != slug:  # the record moved to another area
        keys.append(area_key(moved_from))
    return keys


def _before_save(sender, instance, raw=False, **kwargs) -> None:
    if instance.pk is not None and not raw:
        instance._page_versions_moved_from = _saved_area_slug(instance)


def _may_change_area(model) -> bool:
    """Whether a save can move a record to another area: its link towards the area is not
    one of its fixed fields (municipalities.fixed), and it is not the area itself."""
    path = getattr(model, "area_path", None)
    return path not in (None, "pk") and path.split("__")[0] not in getattr(
        model, "fixed_fields", ()
    )


def _changed(sender, instance, **kwargs) -> None:
    keys = keys_touched_by(instance)
    if keys:
        bump(keys)
        transaction.on_commit(lambda: bump(keys), robust=True)


def _members_changed(sender, instance, action, **kwargs) -> None:
    """A many-to-many list changed (a directory entry's members), from either side."""
    if action in ("post_add", "post_remove", "post_clear"):
        _changed(sender, instance)


def _migrated(sender, **kwargs) -> None:
    """A deployment (make serve migrates first) may change any page: move them all."""
    bump([REGISTRY])


def connect() -> None:
    """Called once from MunicipalitiesConfig.ready(): every model of the domain's apps
    (not their history rows; other apps' deletes keep Django's fast path)."""
    for label in TRACKED_APPS:
        for model in apps.get_app_config(label).get_models():
            if getattr(model, "instance_type", None) is not None:  # a history model
                continue
            uid = f"page_versions_{model._meta.label_lower}"
            if _may_change_area(model):
                pre_save.connect(_before_save, sender=model, dispatch_uid=f"{uid}_pre")
            post_save.connect(_changed, sender=model, dispatch_uid=f"{uid}_save")
            post_delete.connect(_changed, sender=model, dispatch_uid=f"{uid}_delete")
            for field in model._meta.local_many_to_many:
                m2m_changed.connect(
                    _members_changed,
                    sender=field.remote_field.through,
                    dispatch_uid=f"{uid}_{field.name}",
                )
    post_migrate.connect(_migrated, dispatch_uid="page_versions_migrated")
