"""The search's trigram indexes on municipalities and areas (PostgreSQL only; see
municipalities.search_indexes), and the pg_trgm extension every app's indexes use."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

from municipalities.search_indexes import TrigramIndexes


class Migration(migrations.Migration):
    dependencies = [
        ("municipalities", "0009_english_names"),
    ]

    operations = [
        TrigramExtension(),
        TrigramIndexes("municipality", ["name", "name_kana"]),
        TrigramIndexes("cooperationarea", ["name", "slug"]),
    ]
