import csv
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from agreements.models import Agreement, AgreementItem, CouncilResolution, Procedure, Role
from agreements.status import AgreementStatus, Result
from municipalities.codes import validate_local_government_code
from municipalities.models import AreaMembership, CommutingRatio, CooperationArea, Municipality
from municipalities.templatetags.marks import sample_mark
from public import demo
from tests import factories
from vision.models import (
    FiscalSupport,
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
from vision.progress import Direction, ProgressStatus

pytestmark = pytest.mark.django_db

MEMBERS = [
    "長野市",
    "須坂市",
    "千曲市",
    "坂城町",
    "小布施町",
    "高山村",
    "信濃町",
    "小川村",
    "飯綱町",
]
OUTSIDERS = {
    "中野市": "北信定住自立圏",
    "飯山市": "北信定住自立圏",
    "山ノ内町": "北信定住自立圏",
    "麻績村": "松本広域連合",
}


def test_load_demo_command_loads_the_nagano_area(capsys):
    call_command("load_demo")

    area = CooperationArea.objects.get(slug=demo.AREA_SLUG)
    assert area.central_city.name == "長野市"
    assert area.central_city.code == "202011"
    assert area.declared_on == datetime.date(2016, 2, 17)
    assert "/areas/nagano/" in capsys.readouterr().out


def test_demo_load_records_municipalities_members_and_ratios():
    area = demo.load()

    assert Municipality.objects.count() == 13
    assert CooperationArea.objects.count() == 1
    assert AreaMembership.objects.filter(area=area, left_on__isnull=True).count() == 8
    assert AreaMembership.objects.count() == 8
    members = [area.central_city.name] + [
        m.municipality.name for m in area.memberships.order_by("municipality__code")
    ]
    assert sorted(members) == sorted(MEMBERS)
    assert CommutingRatio.objects.filter(area=area).count() == 12
    assert CommutingRatio.objects.filter(meets_rule=True).count() == 12
    with_reason = CommutingRatio.objects.exclude(outside_reason="").select_related("municipality")
    assert {r.municipality.name: r.outside_reason for r in with_reason} == {
        name: f"{framework}の構成市町村であるため" for name, framework in OUTSIDERS.items()
    }


def test_demo_load_records_agreements_in_force_passed_by_both_councils():
    area = demo.load()

    agreements = list(Agreement.objects.filter(area=area))
    assert len(agreements) == 8
    today = timezone.localdate()
    statuses = {a.partner.name: a.status(today) for a in agreements}
    # 飯綱町's agreement is in force while an (invented) amendment is before the councils.
    assert statuses.pop("飯綱町") == AgreementStatus.AMENDING
    assert set(statuses.values()) == {AgreementStatus.IN_FORCE}
    assert CouncilResolution.objects.filter(result=Result.PASSED).count() == 16
    assert CouncilResolution.objects.count() == 16
    for agreement in agreements:
        councils = {
            r.municipality_id
            for r in CouncilResolution.objects.filter(procedure__agreement=agreement)
        }
        assert councils == {area.central_city_id, agreement.partner_id}


def test_demo_load_records_the_2016_vision_superseded_by_an_adopted_revision():
    area = demo.load()

    first = Vision.objects.get(area=area, previous=None)
    assert first.title == "長野地域スクラムビジョン"
    assert first.status == Vision.Status.SUPERSEDED
    assert first.adopted_on == datetime.date(2016, 3, 29)
    assert (first.first_fiscal_year, first.last_fiscal_year) == (2016, 2020)
    assert set(first.projects.values_list("role", flat=True)) == set(Role.values)
    assert Indicator.objects.filter(project__vision=first).count() == 7
    assert not Project.objects.filter(vision=first, indicators__isnull=True).exists()
    assert IndicatorActual.objects.filter(indicator__project__vision=first).count() == 28
    revision = Vision.objects.get(area=area, previous=first)
    assert revision.status == Vision.Status.ADOPTED
    assert revision.revision_reason
    codes = set(revision.projects.values_list("code", flat=True))
    assert codes - set(first.projects.values_list("code", flat=True)) == {"イ-02", "ウ-04"}
    assert "ウ-03" not in codes


def test_demo_revision_has_indicators_in_every_progress_state():
    area = demo.load()

    indicators = Indicator.objects.filter(
        project__vision__area=area, project__vision__status=Vision.Status.ADOPTED
    )
    assert {indicator.progress().status for indicator in indicators} == set(ProgressStatus)
    assert indicators.filter(direction=Direction.LOWER).exists()
    assert IndicatorTarget.objects.filter(indicator__in=indicators).exists()


def test_demo_partners_take_part_through_items_of_their_own_agreements():
    demo.load()

    participations = ProjectParticipant.objects.select_related(
        "project__vision__area", "agreement_item__agreement"
    )
    assert participations.exists()
    for participation in participations:
        area = participation.project.vision.area
        if participation.municipality_id == area.central_city_id:
            assert participation.agreement_item is None
        else:
            assert participation.agreement_item.agreement.partner_id == (
                participation.municipality_id
            )
            assert participation.agreement_item.role == participation.project.role


def test_demo_records_roundtable_public_comment_budgets_and_allocation_tax():
    area = demo.load()

    first = Vision.objects.get(area=area, previous=None)
    assert set(first.roundtable_members.values_list("sector", flat=True)) >= {
        "industry",
        "university",
        "finance",
        "medicine",
        "welfare",
        "town_planning",
    }
    assert all(meeting.minutes_document for meeting in first.roundtable_meetings.all())
    assert first.comment_has_ended() and first.public_comments.filter(draft_changed=True).exists()
    assert ProjectBudget.objects.filter(project__vision=first).exists()
    partners = FiscalSupport.objects.filter(area=area).exclude(municipality=area.central_city)
    assert partners.count() == 8 * 10
    assert max(partners.values_list("special_amount", flat=True)) <= 15_000_000


def test_demo_load_marks_every_sample_value():
    area = demo.load()

    assert area.declaration_is_sample
    for model in (
        Agreement,
        AgreementItem,
        Procedure,
        CouncilResolution,
        Vision,
        Project,
        Indicator,
        IndicatorActual,
        IndicatorTarget,
        ProjectBudget,
        RoundtableMember,
        RoundtableMeeting,
        PublicComment,
        FiscalSupport,
    ):
        assert model.objects.exists()
        assert not model.objects.filter(is_sample=False).exists(), model.__name__
    # The commuting facts come from the seed (no invented ratio).
    assert not CommutingRatio.objects.filter(is_sample=True).exists()
    assert not CommutingRatio.objects.filter(ratio__isnull=False).exists()


def test_demo_load_twice_adds_no_rows_and_no_history():
    demo.load()
    before = factories.row_counts()

    call_command("load_demo")

    assert factories.row_counts() == before
    historical = [label for label in before if ".Historical" in label]
    # Sign-in records (a view of roles, unlocks, reset requests) keep no history of their own.
    sign_in = {
        "municipalities.ClerkAccount",
        "municipalities.SignInUnlock",
        "municipalities.PasswordResetRequest",
    }
    # 22 domain models and roles, each with its history; the directory entries' members have a
    # history of their own.
    members_history = {"municipalities.HistoricalAreaDirectoryEntry_members"}
    assert len(historical) - len(members_history) == (len(before) - len(sign_in) - 1) // 2 == 23
    # Every domain model has rows; the demo creates no accounts (roles), no sign-in records,
    # and no directory entry (the national directory is load_directory's).
    accounts = {label for label in before if "StaffRole" in label} | sign_in
    directory = {label for label in before if "AreaDirectoryEntry" in label} | members_history
    empty = accounts | directory
    assert all(count for label, count in before.items() if label not in empty), before


def test_demo_load_records_history_with_its_reason():
    demo.load()

    for model in (Municipality, CooperationArea, Agreement, CouncilResolution, Vision):
        reasons = set(model.history.values_list("history_change_reason", flat=True))
        assert {reason.split(":")[0] for reason in reasons} == {demo.REASON}, model.__name__


def test_is_valid_code_accepts_every_code_of_the_nagano_data():
    with open(demo.DATA / "nagano-area.csv", encoding="utf-8") as f:
        codes = [row["code"] for row in csv.DictReader(f)]

    assert len(codes) == 13
    for code in codes:
        validate_local_government_code(code)


def test_demo_marks_each_invented_value_and_no_sourced_one(client):
    demo.load()
    marker = str(sample_mark())

    page = client.get("/areas/nagano/agreements/202070/").content.decode()

    # Sourced (data README): signed at a joint ceremony on 2016-03-29.
    signed = page.index('id="procedure-1-signed"')
    signed_dd = page[signed : page.index("</dd>", signed)]
    assert "8つの連携協約の合同締結式" in signed_dd and marker not in signed_dd
    # Invented: the day the conclusion was submitted, and each bill number and date.
    submitted = page.index('id="procedure-1-submitted"')
    assert marker in page[submitted : page.index("</dd>", submitted)]
    record = client.get("/areas/nagano/agreements.json").json()["agreements"][0]["procedures"][0]
    assert "signed_on" not in record["sample_fields"]
    assert record["resolutions"][0]["sample_fields"] == ["bill_number", "resolved_on"]


def test_a_record_naming_an_unknown_sample_value_is_refused():
    procedure = factories.ProcedureFactory()
    procedure.sample_fields = ["proposed_on", "colour"]
    with pytest.raises(ValidationError) as exc:
        procedure.full_clean()
    assert "is_sample" in exc.value.message_dict
