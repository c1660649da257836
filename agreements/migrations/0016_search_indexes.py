"""The search's trigram indexes on agreements and their items (PostgreSQL only; see
municipalities.search_indexes)."""

from django.db import migrations

from municipalities.search_indexes import TrigramIndexes


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0015_item_title_in_english"),
        ("municipalities", "0010_search_indexes"),
    ]

    operations = [
        TrigramIndexes("agreement", ["title", "basic_policy", "text"]),
        TrigramIndexes(
            "agreementitem", ["field", "title", "title_en", "central_city_part", "partner_part"]
        ),
    ]
