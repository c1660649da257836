"""Addresses of many records of one kind, from one reverse() per page.

A vision page links each of its projects twice and each lead and participant once: hundreds of
reverse() calls, a tenth of the page's time. addresses() reverses the view once, with a
placeholder where the record's value goes, and fills that in for each record.
"""

from collections.abc import Callable

from django.urls import reverse


def addresses(viewname: str, varying: str, placeholder: str, **fixed) -> Callable[[object], str]:
    """A function from a record's value (its `varying` argument) to its address, the same as
    reverse(viewname, kwargs={**fixed, varying: value}) in the active language.

    `placeholder` must pass the argument's path converter ("0" for an id, "000000" for a
    local government code). Only for values that a path never quotes (ids, codes, slugs).
    """
    url = reverse(viewname, kwargs={**fixed, varying: placeholder})
    head, marker, tail = url.rpartition(f"/{placeholder}/")
    if not marker:
        raise ValueError(f"{viewname}: {varying} is not a whole segment of {url}")
    return lambda value: f"{head}/{value}/{tail}"
