"""Fields that say what a record is about, fixed once it is saved.

A membership is of one municipality in one area; a project belongs to one vision. Moving such
a record would silently rewrite what other records (agreements, participants, resolutions)
mean, so the fields are fixed: a correction is a new record.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ERROR_FIXED = _("This cannot change once recorded; record a new entry instead.")


class FixedFieldsMixin:
    """Model mixin: `fixed_fields` are refused in `full_clean()` when they change."""

    fixed_fields: tuple[str, ...] = ()

    def changed_fixed_fields(self) -> list[str]:
        if self.pk is None or not self.fixed_fields:
            return []
        attnames = [self._meta.get_field(name).attname for name in self.fixed_fields]
        saved = type(self)._default_manager.filter(pk=self.pk).values_list(*attnames).first()
        if saved is None:
            return []
        return [
            name
            for name, attname, value in zip(self.fixed_fields, attnames, saved, strict=True)
            if getattr(self, attname) != value
        ]

    def clean_fields(self, exclude=None):
        errors: dict = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for name in self.changed_fixed_fields():
            if not exclude or name not in exclude:
                errors.setdefault(name, []).append(ValidationError(ERROR_FIXED, code="fixed"))
        if errors:
            raise ValidationError(errors)
