"""No edit is silently lost: a form saves only over the record its user saw.

An edit page carries an *edit token*: the latest history entry of the record and of the rows
the page edits with it (an admin page's inlines). On saving, the record's row is locked
(SELECT … FOR UPDATE, so a second save at the same moment waits for the first) and the token
is compared with the record's history as it is now. If anyone changed the record meanwhile,
nothing is saved and the form says who changed it, when, and what the values are now; the
form then carries the new token, so saving again knowingly replaces them.

Every domain model keeps its history (django-simple-history), and every write goes through
the services, which record it: the history is the version. For the few models without history
(user accounts and groups) the version is a digest of the values, and the message cannot say
who changed them.
"""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Max
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from .access import person_name

TOKEN_FIELD = "edit_token"
SHOWN_CHANGES = 5
# Written by signing in, not by an edit page: not part of a record's version.
NOT_EDITED = {"last_login"}

# (model of the rows edited with the record, name of their foreign key to it)
Children = Sequence[tuple[type[models.Model], str]]


def _histories(instance: models.Model, children: Children):
    """The history tables of the record and of its children, each filtered to the record."""
    yield type(instance).history.filter(**{type(instance)._meta.pk.attname: instance.pk})
    for model, fk_name in children:
        attname = model._meta.get_field(fk_name).attname
        yield model.history.filter(**{attname: instance.pk})


def _fingerprint(instance: models.Model) -> str:
    """For a model without history (user accounts, groups): a digest of its values now."""
    model = type(instance)
    row = model._default_manager.filter(pk=instance.pk)
    edited = [f.attname for f in model._meta.concrete_fields if f.name not in NOT_EDITED]
    values = list(row.values_list(*edited))
    values += [
        sorted(filter(None, row.values_list(m2m.name, flat=True)))
        for m2m in model._meta.many_to_many
    ]
    return "v" + hashlib.sha256(repr(values).encode()).hexdigest()[:32]


def edit_token(instance: models.Model, children: Children = ()) -> str:
    """The version of the record and its children as the form shows them."""
    if not hasattr(type(instance), "history"):
        return _fingerprint(instance)
    return "-".join(
        str(history.aggregate(last=Max("history_id"))["last"] or 0)
        for history in _histories(instance, children)
    )


def _parse(token: str, size: int) -> list[int] | None:
    try:
        parts = [int(part) for part in token.split("-")]
    except (AttributeError, ValueError):
        return None
    return parts if len(parts) == size else None


@dataclass
class EditConflict:
    token: str  # the version now: saving again with it replaces what is there
    messages: list[str]


def _who(entry) -> str:
    user = entry.history_user
    if user is None:
        return _("someone (no signed-in user)")
    return person_name(user)


def _when(entry) -> str:
    return formats.date_format(timezone.localtime(entry.history_date), "DATETIME_FORMAT")


def _describe(entry) -> str:
    action = {"+": _("added"), "~": _("changed"), "-": _("deleted")}[entry.history_type]
    return _("%(when)s, %(who)s: %(what)s “%(record)s” %(action)s") % {
        "when": _when(entry),
        "who": _who(entry),
        "what": entry.instance_type._meta.verbose_name,
        "record": entry.instance,
        "action": action,
    }


def _shown(field: models.Field, record: models.Model) -> str:
    value = getattr(record, field.name)
    if field.choices and value not in (None, ""):
        return str(getattr(record, f"get_{field.name}_display")())
    if value in (None, "") or (isinstance(value, models.fields.files.FieldFile) and not value):
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if hasattr(value, "isoformat"):
        return formats.date_format(value, "DATE_FORMAT")
    return str(value)


def _same(field: models.Field, current, submitted) -> bool:
    if isinstance(field, models.ForeignKey):
        submitted = getattr(submitted, "pk", submitted)
        current = field.value_from_object(current)
        return current == submitted
    value = field.value_from_object(current)
    if isinstance(field, models.FileField):
        return (value.name or "") == (getattr(submitted, "name", None) or "")
    if isinstance(value, str) and submitted is None:
        submitted = ""
    return value == submitted


def _changes_since(instance, children: Children, token: str | None) -> list:
    histories = list(_histories(instance, children))
    seen = _parse(token or "", len(histories)) or [0] * len(histories)
    return sorted(
        (
            entry
            for history, last_seen in zip(histories, seen, strict=True)
            for entry in history.filter(history_id__gt=last_seen)
            .select_related("history_user")
            .order_by("-history_date")[:SHOWN_CHANGES]
        ),
        key=lambda entry: entry.history_date,
        reverse=True,
    )


def stale_edit(
    instance: models.Model, token: str | None, children: Children = (), submitted=None
) -> EditConflict | None:
    """Lock the record's row and compare `token` with its history now.

    Call inside the transaction that saves the form: the lock holds a second save at the
    same moment until this one is committed, which then sees this save's history. `submitted`
    (the form's cleaned data) picks which current values to show: those that differ from it.
    """
    model = type(instance)
    current = model._default_manager.select_for_update().filter(pk=instance.pk).first()
    now = edit_token(instance, children)
    if token == now:
        return None
    changes = _changes_since(instance, children, token) if hasattr(model, "history") else []
    lines = []
    if changes:
        latest = changes[0]
        lines.append(
            _(
                "%(who)s changed this record on %(when)s, after you opened this page. "
                "Nothing was saved."
            )
            % {"who": _who(latest), "when": _when(latest)}
        )
        lines += [_describe(entry) for entry in changes[:SHOWN_CHANGES]]
    else:
        lines.append(_("This record was changed after you opened this page. Nothing was saved."))
    if current is not None and submitted is not None:
        lines += [
            _("Now: %(field)s = %(value)s")
            % {"field": capfirst(field.verbose_name), "value": _shown(field, current)}
            for field in model._meta.concrete_fields
            if field.name in submitted and not _same(field, current, submitted[field.name])
        ]
    lines.append(_("Check the values above. Saving again replaces them with what is on this page."))
    return EditConflict(token=now, messages=lines)


class GuardedEdit:
    """Form mixin: an edit of a saved record is refused if the record changed since the form
    was loaded. Validate and save inside one transaction (the admin's change page does);
    templates put `form.edit_token` in a hidden field named TOKEN_FIELD."""

    guarded_children: Children = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.guarded = self.instance.pk is not None
        if self.is_bound:
            self.edit_token = self.data.get(TOKEN_FIELD, "")
        elif self.guarded:
            self.edit_token = edit_token(self.instance, self.guarded_children)
        else:
            self.edit_token = ""

    def clean(self):
        cleaned = super().clean()
        if self.guarded:
            conflict = stale_edit(
                self.instance, self.edit_token, self.guarded_children, submitted=cleaned
            )
            if conflict is not None:
                self.edit_token = conflict.token
                raise ValidationError(conflict.messages, code="edit_conflict")
        return cleaned
