"""E-mails about procedures, sent only after the change that causes them is committed."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import override

from municipalities.access import clerk_emails, planning_staff_emails

from .models import CouncilResolution, Procedure


def _send(subject: str, body: str, recipients: list[str]) -> None:
    if recipients:
        # A subject is one line: a line break from older data must not stop the mail.
        subject = " ".join(subject.split())
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)


def resolution_recorded(resolution: CouncilResolution, *, corrected: bool, by: str) -> None:
    """Tell the area's planning staff that a clerk recorded or corrected a resolution."""
    agreement = resolution.procedure.agreement
    recipients = planning_staff_emails(agreement.area)
    url = settings.SITE_URL + agreement.get_absolute_url()
    with override("ja"):
        subject = (
            _("Resolution corrected: %(council)s council, %(agreement)s")
            if corrected
            else _("Resolution recorded: %(council)s council, %(agreement)s")
        ) % {"council": resolution.municipality.name, "agreement": agreement.title}
        body = _(
            "%(by)s recorded for the council of %(council)s:\n\n"
            "%(procedure)s\n%(session)s %(bill)s, %(date)s: %(result)s\n\n%(url)s\n"
        ) % {
            "by": by,
            "council": resolution.municipality.name,
            "procedure": resolution.procedure.summary,
            "session": resolution.session,
            "bill": resolution.bill_number,
            "date": resolution.resolved_on.isoformat(),
            "result": resolution.get_result_display(),
            "url": url,
        }
    transaction.on_commit(lambda: _send(subject, body, recipients))


def procedure_submitted(procedure: Procedure) -> None:
    """Tell the partner's clerks that a procedure now waits for their council."""
    agreement = procedure.agreement
    recipients = clerk_emails(agreement.partner)
    url = settings.SITE_URL + "/desk/"
    with override("ja"):
        subject = _("For your council: %(procedure)s (%(agreement)s)") % {
            "procedure": procedure.summary,
            "agreement": agreement.title,
        }
        body = _(
            "%(procedure)s was submitted to the councils on %(date)s. When the council of "
            "%(partner)s has resolved on it, record the resolution at the desk:\n\n%(url)s\n"
        ) % {
            "procedure": procedure.summary,
            "date": procedure.proposed_on.isoformat(),
            "partner": agreement.partner.name,
            "url": url,
        }
    transaction.on_commit(lambda: _send(subject, body, recipients))
