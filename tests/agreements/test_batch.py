"""The joint ceremony in batches, through the admin's actions: start many conclusions from one
model text, record the central city council's session, put many procedures into effect on
one date. All or nothing, with a message per row (agreements.batch)."""

import datetime

import pytest
from django.utils.html import escape

from agreements.models import (
    ERROR_EFFECT_NEEDS_BOTH_PASSED,
    ERROR_NOT_PUBLIC,
    Agreement,
    CouncilResolution,
    Procedure,
    ProcedureKind,
    Result,
)
from agreements.status import AgreementStatus
from tests import factories

pytestmark = pytest.mark.django_db

AGREEMENTS = "/admin/agreements/agreement/"
PROCEDURES = "/admin/agreements/procedure/"


def _action(client, url, action, objects, **data):
    return client.post(
        url,
        {"action": action, "_selected_action": [o.pk for o in objects], "apply": "1", **data},
    )


@pytest.fixture
def drafts(area):
    return [factories.AgreementFactory(area=area) for _ in range(3)]


def test_many_conclusions_start_from_one_model_text(admin_client, drafts, staff_user):
    response = _action(
        admin_client,
        AGREEMENTS,
        "start_conclusions",
        drafts,
        summary="連携協約の締結",
        model_text="{甲}（以下「甲」という。）と{乙}（以下「乙」という。）は…\n第1条　目的",
        proposed_on="2016-02-24",
    )

    assert response.status_code == 302
    procedures = Procedure.objects.filter(agreement__in=drafts).select_related("agreement__partner")
    assert len(procedures) == 3
    for procedure in procedures:
        assert procedure.kind == ProcedureKind.CONCLUSION
        assert procedure.proposed_on == datetime.date(2016, 2, 24)
        # The model text became each agreement's text, and the content before the councils.
        assert procedure.agreement.text.startswith(
            f"{procedure.agreement.central_party.name}（以下「甲」という。）と"
            f"{procedure.agreement.partner.name}（"
        )
        assert procedure.content["text"] == procedure.agreement.text
        assert procedure.history.get().history_user == staff_user


def test_one_refused_conclusion_saves_none_and_says_which(admin_client, drafts):
    internal = factories.AgreementFactory(area=drafts[0].area, internal=True)
    response = _action(
        admin_client,
        AGREEMENTS,
        "start_conclusions",
        [*drafts, internal],
        summary="連携協約の締結",
        model_text="",
        proposed_on="2016-02-24",
    )

    assert response.status_code == 200
    outcomes = response.context["outcomes"]
    assert [o.ok for o in outcomes if o.label == str(internal.partner)] == [False]
    assert sum(o.ok for o in outcomes) == 3
    assert escape(str(ERROR_NOT_PUBLIC)) in response.content.decode()
    assert Procedure.objects.count() == 0


@pytest.fixture
def submitted(drafts):
    return [factories.ProcedureFactory(agreement=a) for a in drafts]


def test_the_central_city_councils_session_is_recorded_at_once(admin_client, submitted):
    bills = {f"bill_{p.pk}": f"議案第{n + 31}号" for n, p in enumerate(submitted)}
    response = _action(
        admin_client,
        PROCEDURES,
        "record_central_session",
        submitted,
        session="平成28年3月定例会",
        resolved_on="2016-03-18",
        result=Result.PASSED,
        **bills,
    )

    assert response.status_code == 302
    resolutions = CouncilResolution.objects.order_by("procedure_id")
    assert [(r.municipality_id, r.bill_number) for r in resolutions] == [
        (p.agreement.central_party_id, bills[f"bill_{p.pk}"]) for p in submitted
    ]
    assert {r.session for r in resolutions} == {"平成28年3月定例会"}


def test_a_session_needs_each_bill_number(admin_client, submitted):
    response = _action(
        admin_client,
        PROCEDURES,
        "record_central_session",
        submitted,
        session="平成28年3月定例会",
        resolved_on="2016-03-18",
        result=Result.PASSED,
        **{f"bill_{submitted[0].pk}": "議案第31号"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {f"bill_{p.pk}" for p in submitted[1:]}
    assert CouncilResolution.objects.count() == 0


def test_many_procedures_take_effect_on_one_date_or_none_does(admin_client, submitted):
    for procedure in submitted:
        factories.CouncilResolutionFactory(procedure=procedure, by_central_city=True)
    for procedure in submitted[:2]:
        factories.CouncilResolutionFactory(procedure=procedure)
    data = {"effective_on": "2016-03-29", "governor_notified_on": "2016-04-05"}

    refused = _action(admin_client, PROCEDURES, "put_into_effect", submitted, **data)

    assert refused.status_code == 200
    missing = ERROR_EFFECT_NEEDS_BOTH_PASSED % {"missing": submitted[2].agreement.partner}
    assert escape(str(missing)) in refused.content.decode()
    assert not Procedure.objects.filter(effective_on__isnull=False).exists()

    factories.CouncilResolutionFactory(procedure=submitted[2])
    done = _action(admin_client, PROCEDURES, "put_into_effect", submitted, **data)

    assert done.status_code == 302
    assert set(
        Agreement.objects.filter(pk__in=[p.agreement_id for p in submitted]).values_list(
            "stored_status", flat=True
        )
    ) == {AgreementStatus.IN_FORCE}
    assert set(Procedure.objects.values_list("governor_notified_on", flat=True)) == {
        datetime.date(2016, 4, 5)
    }


def test_the_action_page_asks_first(admin_client, drafts):
    response = admin_client.post(
        AGREEMENTS, {"action": "start_conclusions", "_selected_action": [a.pk for a in drafts]}
    )
    assert response.status_code == 200
    assert response.context["form"].is_bound is False
    assert Procedure.objects.count() == 0
