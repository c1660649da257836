"""Two database sessions at the same moment, for the tests of row locks (PostgreSQL)."""

import threading

from django.db import connection
from django.db.models.signals import post_save


def at_the_same_moment(first, second, *, held) -> tuple[bool, dict]:
    """Run `first()` in one session and hold its transaction open once it saved a row of the
    model `held`; meanwhile run `second()` in another. Whether the second had to wait (for a
    lock), and what each returned, by "first" and "second"."""
    saved_by_first, release = threading.Event(), threading.Event()
    outcomes = {}

    def hold_first(sender, instance, **kwargs):
        if threading.current_thread().name == "first":
            saved_by_first.set()
            release.wait(10)

    def run(name, call):
        try:
            outcomes[name] = call()
        finally:
            connection.close()

    post_save.connect(hold_first, sender=held)
    try:
        threads = {
            name: threading.Thread(target=run, args=(name, call), name=name)
            for name, call in (("first", first), ("second", second))
        }
        threads["first"].start()
        assert saved_by_first.wait(10)
        threads["second"].start()
        threads["second"].join(1.5)
        waited = threads["second"].is_alive()  # held by the first session's lock
        release.set()
        for thread in threads.values():
            thread.join(20)
    finally:
        post_save.disconnect(hold_first, sender=held)
    return waited, outcomes
