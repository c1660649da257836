"""The read-only API of the public record, at /api/ (Django REST framework, drf-spectacular).

One address whatever the language: codes and identifiers are the open data's (slugs, local
government codes, ids), labels are Japanese with their English beside them (`status_label`,
`status_label_en`), and links lead to the public pages. Every record is read through the
same public selectors as the pages and exports, so a draft is never answered. The schema is
at /api/openapi.json and its documentation at /api/docs/.

- `filters`: the query parameters, each checked; a bad value is a 400 naming it.
- `modified`: what “modified” means for each kind of record (`modified_since`).
- `records`: the answers, as plain dictionaries, built from the exports' own records.
- `serializers`: the same answers described for the schema.
- `views`, `urls`: the addresses.
"""
