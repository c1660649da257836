"""Building the bulk data: the files, the descriptor, and putting them into the storage.

A build writes each table's CSV and its rows as JSON lines side by side into a temporary
folder, then the JSON document of every table, the descriptor, and the zip, and puts the
zip, then the descriptor, then the state (what was built from what) into the storage, each
replacing the last one whole.

It is skipped when nothing it reads has changed since the last build (`record_fingerprint`),
and the stored zip is left as it is when the tables come out the same (`content`).
"""

import csv
import datetime
import hashlib
import json
import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from agreements.models import Agreement, AgreementItem, CouncilResolution, Procedure
from municipalities.models import (
    AreaDirectoryEntry,
    AreaMembership,
    CommutingRatio,
    CooperationArea,
    Municipality,
)
from municipalities.numbers import plain_number
from vision.models import (
    FiscalSupport,
    FiscalYearClosure,
    Indicator,
    IndicatorActual,
    IndicatorTarget,
    Project,
    ProjectBudget,
    ProjectParticipant,
    PublicComment,
    RoundtableMeeting,
    RoundtableMember,
    Vision,
)

from ..exports import ATTRIBUTION, _cell
from .record import read_record
from .tables import TABLES, Table

# Where the files live in the default storage.
FOLDER = "open-data"
ZIP_NAME = f"{FOLDER}/rentai-open-data.zip"
DESCRIPTOR_NAME = f"{FOLDER}/datapackage.json"
STATE_NAME = f"{FOLDER}/state.json"
PACKAGE_NAME = "rentai-open-data"
JSON_PATH = "data/rentai-open-data.json"
# Raise it when tables or columns change: the next build then runs whatever the record.
FORMAT_VERSION = 1

# The licence most Japanese local governments publish open data under, compatible with the
# government's standard terms of use (公共データ利用規約 第1.0版); the reference data it
# includes is CC0 or government statistics (SOURCES).
LICENSES = [
    {
        "name": "CC-BY-4.0",
        "path": "https://creativecommons.org/licenses/by/4.0/",
        "title": "Creative Commons Attribution 4.0 International",
    }
]
SOURCES = [
    {
        "title": "code4fukui localgovjp (CC0 1.0)",
        "path": "https://github.com/code4fukui/localgovjp",
    },
    {
        "title": "総務省統計局「令和2年国勢調査」(Statistics Bureau of Japan, 2020 Census)",
        "path": "https://www.e-stat.go.jp/",
    },
]


def _json_value(value):
    """A cell as the site's JSON documents write it: decimals as exact strings."""
    if isinstance(value, Decimal):
        return plain_number(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Promise):
        return str(value)
    return value


class TableFile:
    """One table being written: its CSV, and its rows as JSON lines for the JSON document."""

    def __init__(self, table: Table, folder: Path):
        self.table = table
        self.names = table.names
        self.csv_path = folder / table.path
        self.lines_path = folder / f"{table.name}.jsonl"
        # "utf-8-sig" writes the byte-order mark that every CSV of the site begins with.
        self._csv = open(self.csv_path, "w", encoding="utf-8-sig", newline="")  # noqa: SIM115
        self._writer = csv.writer(self._csv, lineterminator="\r\n")
        self._writer.writerow(self.names)
        self._lines = open(self.lines_path, "w", encoding="utf-8")  # noqa: SIM115
        self.rows = 0

    def write(self, source=None, /, **values) -> None:
        """One row: each column from `values`, else the source's attribute or key."""
        unknown = values.keys() - set(self.names)
        if unknown:
            raise ValueError(f"{self.table.name} has no column {sorted(unknown)}")
        row = [
            values[name]
            if name in values
            else source.get(name)
            if isinstance(source, dict)
            else getattr(source, name)
            for name in self.names
        ]
        self._writer.writerow([_cell(value) for value in row])
        typed = dict(zip(self.names, map(_json_value, row), strict=True))
        self._lines.write(json.dumps(typed, ensure_ascii=False) + "\n")
        self.rows += 1

    def close(self) -> None:
        self._csv.close()
        self._lines.close()


def _write_json(files: list[TableFile], path: Path) -> None:
    """The JSON document of every table: {"name", "attribution", "tables": {"areas": […]}}."""
    with open(path, "w", encoding="utf-8") as out:
        head = json.dumps({"name": PACKAGE_NAME, "attribution": ATTRIBUTION}, ensure_ascii=False)
        out.write(head[:-1] + ', "tables": {')
        for index, table_file in enumerate(files):
            out.write(("," if index else "") + f"\n{json.dumps(table_file.table.name)}: [")
            with open(table_file.lines_path, encoding="utf-8") as lines:
                for number, line in enumerate(lines):
                    out.write(("," if number else "") + "\n" + line.rstrip("\n"))
            out.write("\n]")
        out.write("\n}}\n")


def _facts(path: Path) -> dict:
    """The size and SHA-256 digest of a file, as a resource of the descriptor states them."""
    sha = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            sha.update(block)
    return {"bytes": path.stat().st_size, "hash": f"sha256:{sha.hexdigest()}"}


def descriptor(files: list[TableFile], folder: Path, created: datetime.datetime) -> dict:
    """The Data Package descriptor (datapackage.json), its titles in the active language."""
    site = f"{settings.SITE_URL.rstrip('/')}/"
    return {
        "profile": "data-package",
        "name": PACKAGE_NAME,
        "title": str(_("Cooperation area records: the public record of every area")),
        "description": str(
            _(
                "Every regional core city cooperation area (連携中枢都市圏) with its partners, "
                "agreements, procedures and council resolutions, visions, projects and "
                "indicators, as the public pages show them. Drafts are not included."
            )
        ),
        "homepage": site,
        "created": created.isoformat(timespec="seconds"),
        "licenses": LICENSES,
        "sources": [{"title": str(_("Cooperation area records")), "path": site}, *SOURCES],
        "resources": [{**f.table.descriptor(), **_facts(f.csv_path)} for f in files]
        + [
            {
                "name": "all-tables",
                "title": str(_("Every table in one JSON document")),
                "path": JSON_PATH,
                "profile": "data-resource",
                "format": "json",
                "mediatype": "application/json",
                "encoding": "utf-8",
                **_facts(folder / JSON_PATH),
            }
        ],
    }


# Every table the build reads: any write to one moves the fingerprint (its number of rows
# and highest id, and the highest id of its history, which each save and delete adds to).
SOURCE_MODELS = (
    Municipality,
    CooperationArea,
    AreaDirectoryEntry,
    AreaDirectoryEntry.members.through,
    AreaMembership,
    CommutingRatio,
    Agreement,
    AgreementItem,
    Procedure,
    CouncilResolution,
    Vision,
    RoundtableMember,
    RoundtableMeeting,
    PublicComment,
    Project,
    ProjectParticipant,
    ProjectBudget,
    Indicator,
    IndicatorTarget,
    IndicatorActual,
    FiscalSupport,
    FiscalYearClosure,
)


def record_fingerprint(today: datetime.date) -> str:
    """A digest of the state of everything the build reads, in one query, with the day (a
    status or a progress can change with the date) and the site's address (in the links).

    Not the page versions (municipalities.page_versions): they live in the cache, which may
    forget them, and a command in a process of its own may have a cache of its own.
    """
    quote = connection.ops.quote_name

    def highest_id(model) -> str:
        return f"(SELECT MAX({quote(model._meta.pk.column)}) FROM {quote(model._meta.db_table)})"

    parts = []
    for model in SOURCE_MODELS:
        parts += [f"(SELECT COUNT(*) FROM {quote(model._meta.db_table)})", highest_id(model)]
        history = getattr(model, "history", None)
        if history is not None:  # history rows are only ever added: the highest id says it
            parts.append(highest_id(history.model))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}")
        state = list(cursor.fetchone())
    facts = [FORMAT_VERSION, today.isoformat(), settings.SITE_URL, state]
    return hashlib.sha256(json.dumps(facts).encode()).hexdigest()


def stored_state() -> dict | None:
    """What the last build stored (fingerprint, content, created), or None."""
    try:
        if not default_storage.exists(ZIP_NAME):
            return None
        with default_storage.open(STATE_NAME, "rb") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def _store(name: str, path: Path) -> None:
    """Put the file into the storage under `name`, replacing the one there whole: on a local
    disk by renaming (a reader gets the old file or the new one, never part of one), in an
    object store by writing the object again."""
    try:
        target = default_storage.path(name)
    except NotImplementedError:  # an object store
        default_storage.delete(name)
        with open(path, "rb") as f:
            saved = default_storage.save(name, File(f))
        if saved != name:  # another build stored it at the same moment: theirs stays
            default_storage.delete(saved)
        return
    os.makedirs(os.path.dirname(target), exist_ok=True)
    partial = f"{target}.{os.getpid()}.partial"
    shutil.copyfile(path, partial)
    os.replace(partial, target)


def _zip(path: Path, folder: Path, members: list[Path], created: datetime.datetime) -> None:
    stamp = timezone.localtime(created).timetuple()[:6]
    with zipfile.ZipFile(path, "w") as archive:
        for member in members:
            info = zipfile.ZipInfo(member.relative_to(folder).as_posix(), date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16  # readable by all once unpacked
            with open(member, "rb") as source, archive.open(info, "w") as target:
                shutil.copyfileobj(source, target, 1 << 20)


@dataclass
class Build:
    """What a build did: `built` (a new file), `unchanged` (the tables came out as in the
    stored file, which stays), or `skipped` (nothing read has changed since the last build)."""

    outcome: str
    rows: dict[str, int] = field(default_factory=dict)
    size: int = 0


def build(*, force: bool = False) -> Build:
    """Build the bulk data and store it, unless the record is as at the last build."""
    today = timezone.localdate()
    fingerprint = record_fingerprint(today)
    state = stored_state()
    if state and state.get("fingerprint") == fingerprint and not force:
        return Build("skipped")
    created = timezone.now().replace(microsecond=0)
    site = settings.SITE_URL.rstrip("/")
    with tempfile.TemporaryDirectory(prefix="open-data-") as temporary:
        folder = Path(temporary)
        (folder / "data").mkdir()
        files = {table.name: TableFile(table, folder) for table in TABLES}
        # The site's language: the titles of the descriptor, the addresses in the tables.
        with translation.override(settings.LANGUAGE_CODE):
            try:
                read_record(
                    lambda table, *source, **values: files[table].write(*source, **values),
                    today=today,
                    absolute=lambda path: f"{site}{path}",
                )
            finally:
                for table_file in files.values():
                    table_file.close()
            _write_json(list(files.values()), folder / JSON_PATH)
            package = descriptor(list(files.values()), folder, created)
        rows = {name: table_file.rows for name, table_file in files.items()}
        content = hashlib.sha256(
            "".join(resource["hash"] for resource in package["resources"]).encode()
        ).hexdigest()
        if state and state.get("content") == content and not force:
            _store_state(folder, {**state, "fingerprint": fingerprint})
            return Build("unchanged", rows)
        descriptor_path = folder / "datapackage.json"
        descriptor_path.write_text(
            json.dumps(package, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        zip_path = folder / f"{PACKAGE_NAME}.zip"
        members = [descriptor_path, *(f.csv_path for f in files.values()), folder / JSON_PATH]
        _zip(zip_path, folder, members, created)
        _store(ZIP_NAME, zip_path)
        _store(DESCRIPTOR_NAME, descriptor_path)
        # Last: a build interrupted before it runs again.
        _store_state(
            folder, {"fingerprint": fingerprint, "content": content, "created": package["created"]}
        )
        return Build("built", rows, zip_path.stat().st_size)


def _store_state(folder: Path, state: dict) -> None:
    path = folder / "state.json"
    path.write_text(json.dumps(state) + "\n", encoding="utf-8")
    _store(STATE_NAME, path)
