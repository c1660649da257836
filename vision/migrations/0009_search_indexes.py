"""The search's trigram indexes on projects and indicators (PostgreSQL only; see
municipalities.search_indexes)."""

from django.db import migrations

from municipalities.search_indexes import TrigramIndexes


class Migration(migrations.Migration):
    dependencies = [
        ("vision", "0008_english_titles_and_units"),
        ("municipalities", "0010_search_indexes"),
    ]

    operations = [
        TrigramIndexes("project", ["code", "title", "title_en", "description"]),
        TrigramIndexes("indicator", ["name", "name_en"]),
    ]
