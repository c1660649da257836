"""How a typed query finds records: one rule for the public search page and the admin.

A query is split into words at spaces (the full-width space U+3000 too); a record is found
when every word is in one of its fields, each word in any of them, case aside: 観光 finds
外国人観光客誘致促進事業, and 長野 観光 a record that names both. The query is first normalised
(NFKC: full-width digits and Latin letters become half-width, half-width katakana full-width)
and a word is also looked for as stored text may write it: in full-width digits and letters,
and, in a field of kana (stored in hiragana), in hiragana (ナガノ finds ながのし).

Each kind of record says which fields find it (`SearchRule`): its own text fields, fields of
kana, a local government code (found by its first digits: the 5-digit code or the 6 with the
check digit), rows of another table (an agreement by its items), and English names that are
computed, not stored (a municipality's romanised name). Those are matched here, over every
row's name, kept in the cache under the registry's version (municipalities.page_versions)
which any change of a municipality or an area moves; the tables they are computed for are
bounded by the country's local governments (about 2,000 rows).

In SQL a word with letters that have case is matched with `InsensitiveContains` (PostgreSQL:
`column ILIKE '%word%'`), a word without (kanji, kana, digits) with `contains` (`column LIKE
'%word%'`: the same match, several times cheaper when the table must be read). A trigram index
of the column (migrations `search_indexes`, municipalities.search_indexes) serves both for a
word of three characters or more; a shorter word has no trigram, and PostgreSQL reads the
table.
"""

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import reduce
from operator import and_, or_

from django.core.cache import cache
from django.db import models
from django.db.models import F, Q, QuerySet
from django.db.models.lookups import IContains
from django.utils.translation import gettext_lazy as _

from . import page_versions
from .models import CooperationArea, Municipality

# Longer queries and more words are refused with a message, not cut short silently: each
# word is one more condition on every table.
MAX_QUERY_LENGTH = 100
MAX_WORDS = 8

ERROR_QUERY_TOO_LONG = _("Type at most %(limit)d characters; this query has %(length)d.")
ERROR_TOO_MANY_WORDS = _("Type at most %(limit)d words; this query has %(count)d.")

_DIGITS = re.compile(r"[0-9]+")
_LATIN = re.compile(r"[A-Za-z]")
_KATAKANA = re.compile(r"[ァ-ヶ]")
_HALF_WIDTH = re.compile(r"[0-9A-Za-z]")


@dataclass(frozen=True)
class Query:
    """A query as searched: its normalised text, its words, and why it is refused (or "")."""

    text: str
    words: tuple[str, ...]
    error: str = ""

    @property
    def searchable(self) -> bool:
        return bool(self.words) and not self.error


def parse(raw: str | None) -> Query:
    """The words of a typed query (normalised, each once), or the reason it is refused."""
    text = " ".join(unicodedata.normalize("NFKC", raw or "").split())
    if len(text) > MAX_QUERY_LENGTH:
        error = ERROR_QUERY_TOO_LONG % {"limit": MAX_QUERY_LENGTH, "length": len(text)}
        return Query(text=text[:MAX_QUERY_LENGTH], words=(), error=error)
    words = tuple(dict.fromkeys(text.split()))
    if len(words) > MAX_WORDS:
        error = ERROR_TOO_MANY_WORDS % {"limit": MAX_WORDS, "count": len(words)}
        return Query(text=text, words=(), error=error)
    return Query(text=text, words=words)


def hiragana(text: str) -> str:
    """Katakana as hiragana, as kana are stored (ナガノシ → ながのし); other text as it is."""
    return _KATAKANA.sub(lambda match: chr(ord(match.group()) - 0x60), text)


def full_width(text: str) -> str:
    """Half-width digits and Latin letters as full-width (2020 → ２０２０), as text written in
    Japanese often stores them."""
    return _HALF_WIDTH.sub(lambda match: chr(ord(match.group()) + 0xFEE0), text)


def found_in(text: str, query: Query) -> bool:
    """The rule in Python, for text that is not a column: every word is in the text (as
    typed or in full-width letters), case aside."""
    text = text.casefold()
    return all(
        word.casefold() in text or full_width(word).casefold() in text for word in query.words
    )


class InsensitiveContains(IContains):
    """`icontains` that PostgreSQL answers with `column::text ILIKE '%word%'`, which a trigram
    index of the column itself serves (Django's own, `UPPER(column) LIKE UPPER(…)`, would need
    an index of UPPER(column) for each column); other databases as `icontains`."""

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = compiler.compile(self.lhs)  # the column itself, not UPPER(column)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs}::text ILIKE {rhs}", (*lhs_params, *rhs_params)


def _has_case(word: str) -> bool:
    return word.lower() != word.upper()


def contains(field: str, word: str) -> Q:
    """The records whose field contains the word, case aside (see the module's docstring)."""
    if _has_case(word):
        return Q(InsensitiveContains(F(field), word))
    return Q(**{f"{field}__contains": word})


def _any_field(fields: Iterable[str], variants: Iterable[str]) -> Q:
    return reduce(or_, (contains(name, variant) for name in fields for variant in variants))


@dataclass(frozen=True)
class Related:
    """Rows of another table that find a record: `model` rows, matched by their `fields`,
    find the record `link` names (an agreement's items, by their `agreement_id`)."""

    model: type[models.Model]
    link: str
    fields: tuple[str, ...]


@dataclass(frozen=True)
class SearchRule:
    """The fields that find one kind of record (see the module's docstring)."""

    fields: tuple[str, ...]
    kana_fields: tuple[str, ...] = ()
    code_field: str = ""
    related: tuple[Related, ...] = ()
    # The (pk, English name) of every row, for names that are computed, not stored.
    english_names: Callable[[], list[tuple[int, str]]] | None = None

    def condition(self, model: type[models.Model], query: Query, also: tuple[str, ...] = ()) -> Q:
        """The records of `model` that every word of the query finds, as one condition;
        `also` names more fields that find them (the admin's own search fields)."""
        english = None
        if self.english_names is not None and any(_LATIN.search(w) for w in query.words):
            english = [(pk, name.casefold()) for pk, name in self.english_names()]
        return reduce(
            and_, (self._word_condition(model, word, english, also) for word in query.words)
        )

    def _word_condition(self, model, word: str, english, also: tuple[str, ...]) -> Q:
        """The records one word finds: in a field (as typed or in full-width letters), in a
        field of kana (in hiragana), at the start of the code (digits), among the computed
        English names, or in a related row."""
        variants = tuple(dict.fromkeys((word, full_width(word))))
        own = _any_field(self.fields, variants)
        if self.kana_fields:
            own |= _any_field(self.kana_fields, (hiragana(word),))
        if self.code_field and _DIGITS.fullmatch(word):
            own |= Q(**{f"{self.code_field}__startswith": word})
        if english is not None and _LATIN.search(word):
            folded = word.casefold()
            own |= Q(pk__in=[pk for pk, name in english if folded in name])
        if self.related:
            # One set of ids from each table (a UNION): PostgreSQL then answers each part
            # from its own indexes, which it cannot for an OR of a column and a subquery.
            ids = model._default_manager.filter(own).order_by().values("pk")
            for related in self.related:
                rows = related.model._default_manager.filter(_any_field(related.fields, variants))
                ids = ids.union(rows.order_by().values(related.link))
            own = Q(pk__in=ids)
        if also:
            own |= _any_field(also, variants)
        return own

    def matching(self, queryset: QuerySet, query: Query) -> QuerySet:
        """The records of the queryset that every word of the query finds."""
        if not query.searchable:
            return queryset.none()
        return queryset.filter(self.condition(queryset.model, query))


def _kept_with_registry(name: str, compute: Callable[[], list]) -> Callable[[], list]:
    """`compute`, its result kept in the cache until the registry's version moves (any
    write of a municipality or an area)."""

    def cached() -> list:
        (version,) = page_versions.current([page_versions.REGISTRY])
        key = f"search:{name}:{version}"
        value = cache.get(key)
        if value is None:
            value = compute()
            cache.set(key, value, page_versions.VERSION_SECONDS)
        return value

    return cached


def _municipality_english_names() -> list[tuple[int, str]]:
    # The model's own property decides the English name (given, else romanised).
    rows = Municipality.objects.only("pk", "english_name", "name_kana", "kind", "name")
    return [(m.pk, m.name_en) for m in rows.order_by()]


def _area_english_names() -> list[tuple[int, str]]:
    rows = CooperationArea.objects.select_related("central_city", "joint_central_city")
    return [(area.pk, area.name_en) for area in rows.order_by()]


MUNICIPALITY_RULE = SearchRule(
    fields=("name",),
    kana_fields=("name_kana",),
    code_field="code",
    english_names=_kept_with_registry("municipality-english", _municipality_english_names),
)
AREA_RULE = SearchRule(
    fields=("name", "slug"),
    english_names=_kept_with_registry("area-english", _area_english_names),
)


def municipalities_listed() -> QuerySet[Municipality]:
    """Municipalities as the search results show them."""
    return Municipality.objects.all()


def municipalities_found(query: Query) -> QuerySet[Municipality]:
    """Municipalities (and the prefectures and wards of the registry) by name, kana, English
    name or code, in order of code."""
    return MUNICIPALITY_RULE.matching(municipalities_listed().order_by("code"), query)


def areas_listed() -> QuerySet[CooperationArea]:
    """Areas as the search results show them: with their central cities (their English
    name is made from them)."""
    return CooperationArea.objects.select_related("central_city", "joint_central_city")


def areas_found(query: Query) -> QuerySet[CooperationArea]:
    """Areas by name, English name or address name (slug), in order of name."""
    return AREA_RULE.matching(areas_listed().order_by("name"), query)
