"""Bulk data: the whole public record of every area in one zip, a Frictionless Data Package.

`manage.py build_open_data` (public.bulk.package.build) writes `open-data/rentai-open-data.zip`
into the default storage (MEDIA_ROOT, or the object store): one CSV per table (tables.py), one
JSON document with every table, and `datapackage.json`, the descriptor that types each column
and declares the keys that join the tables — local government codes, area slugs, and the ids
the other exports publish. The descriptor is also stored beside the zip, and the site serves
both at `/data/…` (views.py). docs/open-data.md documents the tables.

Everything is read through the public selectors, as the pages and the other exports read it
(record.py): an unpublished agreement, a procedure still being drafted and a vision in draft
are in no table.
"""
