"""The admin's permission matrix, through HTTP: nobody sees or changes what is not theirs.

Eight roles (anonymous; the clerk of a partner of area A, the clerk of another partner of A,
a clerk in area B; planning staff of A and of B; staff with the planning permissions but no
role; the operator) × every admin page (every registered model's list, add, change, delete,
history and old versions, "view on site", autocomplete, import and export, every action)
× the records of both areas, drafts included.

Which records a role may see is written down here when the records are made (area A's, area
B's, the shared registry, the operator's own), not read from the code under test. The last
test removes the scoping from one admin at a time and checks that the matrix notices.
"""

import csv
import io
from dataclasses import dataclass, field

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models, transaction
from django.forms import ModelChoiceField
from django.test import Client, RequestFactory

from municipalities.models import ClerkAccount, Municipality, SignInUnlock, StaffRole
from municipalities.roles import setup_roles
from municipalities.services import clerk_unlock
from tests import factories
from tests.municipalities.admin_forms import change_form_data
from vision.models import AllocationTaxRule, FiscalYearClosure, Vision

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "clerk_a",
    "other_clerk_a",
    "clerk_b",
    "planning_a",
    "planning_b",
    "staff_no_role",
    "operator",
]
# What each role may see: records of these areas; "registry": the shared list of
# municipalities; "operator": what only the operator sees (accounts, roles, sign-in records).
SEES = {
    "planning_a": {"A", "registry"},
    "planning_b": {"B", "registry"},
    "staff_no_role": {"registry"},
    "operator": {"A", "B", "registry", "operator"},
}
SIGNED_OUT = {"anonymous", "clerk_a", "other_clerk_a", "clerk_b"}  # not staff: the admin is shut


def _area_records(tag: str) -> dict:
    """One area's records, public and internal (drafts), of every kind the admin edits."""
    area = factories.CooperationAreaFactory()
    agreement = factories.agreement_in_force(area=area)
    factories.AgreementItemFactory(agreement=agreement)
    draft = factories.AgreementFactory(area=area, internal=True)  # another partner's
    factories.AgreementItemFactory(agreement=draft, title=f"内部の案{tag}")
    factories.ProcedureFactory(agreement=draft, drafting=True)
    factories.CommutingRatioFactory(area=area, municipality=agreement.partner)
    adopted = factories.VisionFactory(area=area, adopted=True)
    project = factories.ProjectFactory(vision=adopted, lead=agreement.partner)
    factories.ProjectParticipantFactory(project=project, municipality=agreement.partner)
    factories.ProjectBudgetFactory(project=project)
    indicator = factories.IndicatorFactory(project=project)
    factories.IndicatorTargetFactory(indicator=indicator)
    factories.IndicatorActualFactory(indicator=indicator, fiscal_year=2016)
    factories.RoundtableMemberFactory(vision=adopted)
    factories.RoundtableMeetingFactory(vision=adopted)
    factories.PublicCommentFactory(vision=adopted)
    revision = factories.VisionFactory(area=area, title=f"改定案{tag}")
    factories.IndicatorActualFactory(
        indicator=factories.IndicatorFactory(project=factories.ProjectFactory(vision=revision)),
        fiscal_year=2017,
    )
    factories.FiscalSupportFactory(area=area)
    FiscalYearClosure.objects.create(area=area, fiscal_year=2016)
    clerk = factories.clerk(agreement.partner, username=f"clerk_{tag.lower()}")
    other_clerk = factories.clerk(draft.partner, username=f"other_clerk_{tag.lower()}")
    return {"area": area, "clerk": clerk, "other_clerk": other_clerk}


@dataclass
class World:
    users: dict
    tags: dict = field(default_factory=dict)  # (model, pk) → who may see it (see SEES)
    forms: dict = field(default_factory=dict)  # the operator's change form data, by record

    def records(self, model, *, all_of_them=False) -> list[tuple[models.Model, str]]:
        """The model's records with their tags; unless all, the first and the last of each
        tag (an area's public record is made before its draft)."""
        rows = model._default_manager.order_by("pk")
        tagged = [(row, self.tags[model, row.pk]) for row in rows if (model, row.pk) in self.tags]
        if all_of_them:
            return tagged
        by_tag: dict[str, list] = {}
        for row, tag in tagged:
            by_tag.setdefault(tag, []).append(row)
        picked = {
            row.pk
            for rows in by_tag.values()
            for row in {rows[0].pk: rows[0], rows[-1].pk: rows[-1]}.values()
        }
        return [(row, tag) for row, tag in tagged if row.pk in picked]


def _tag_new_rows(world: World, tag: str, before: dict):
    for model in admin.site._registry:
        for pk in model._default_manager.values_list("pk", flat=True):
            if (model, pk) not in world.tags and pk not in before.get(model, ()):
                world.tags[model, pk] = tag


def _pks() -> dict:
    return {
        model: set(model._default_manager.values_list("pk", flat=True))
        for model in admin.site._registry
    }


def _build() -> World:
    operator = factories.UserFactory(username="operator", is_staff=True, is_superuser=True)
    group = setup_roles()
    world = World(users={})
    a = _area_records("A")
    tagged = _pks()
    world.users |= {"clerk_a": a["clerk"], "other_clerk_a": a["other_clerk"]}
    for model, pks in tagged.items():
        for pk in pks:
            world.tags[model, pk] = "A"
    before = _pks()
    b = _area_records("B")
    world.users["clerk_b"] = b["clerk"]
    _tag_new_rows(world, "B", before)

    def planning(area, name):
        person = factories.UserFactory(username=name, is_staff=True)
        person.groups.add(group)
        StaffRole.objects.create(
            user=person, kind=StaffRole.Kind.PLANNING_STAFF, municipality=area.central_city
        )
        return person

    world.users["planning_a"] = planning(a["area"], "planning_a")
    world.users["planning_b"] = planning(b["area"], "planning_b")
    no_role = factories.UserFactory(username="staff_no_role", is_staff=True)
    no_role.groups.add(group)
    world.users |= {"staff_no_role": no_role, "operator": operator, "anonymous": None}
    # Sign-in records: a locked-out clerk in each area, each unlocked once before.
    for tag, clerk in (("A", a["clerk"]), ("B", b["clerk"])):
        unlock = clerk_unlock(role=clerk.staff_role, user=world.users[f"planning_{tag.lower()}"])
        world.tags[SignInUnlock, unlock.pk] = tag
    for clerk in (a["clerk"], b["clerk"]):
        AccessAttempt.objects.create(
            username=clerk.username, ip_address="192.0.2.1", failures_since_start=5
        )
        AccessFailureLog.objects.create(username=clerk.username, ip_address="192.0.2.1")
        AccessLog.objects.create(username=clerk.username, ip_address="192.0.2.1")
    for row in StaffRole.objects.filter(kind=StaffRole.Kind.CLERK):
        tag = "A" if row.user in (a["clerk"], a["other_clerk"]) else "B"
        world.tags[StaffRole, row.pk] = "operator"
        world.tags[ClerkAccount, row.pk] = tag
    for row in StaffRole.objects.exclude(kind=StaffRole.Kind.CLERK):
        world.tags[StaffRole, row.pk] = "operator"
        world.tags.pop((ClerkAccount, row.pk), None)  # the clerks' page lists clerks
    # Registry rows belong to no area: every municipality, whichever area made it.
    for pk in Municipality.objects.values_list("pk", flat=True):
        world.tags[Municipality, pk] = "registry"
    # So are the national allocation-tax figures.
    for pk in AllocationTaxRule.objects.values_list("pk", flat=True):
        world.tags[AllocationTaxRule, pk] = "registry"
    for model in (get_user_model(), type(group), AccessAttempt, AccessFailureLog, AccessLog):
        for pk in model._default_manager.values_list("pk", flat=True):
            world.tags[model, pk] = "operator"
    return world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Both areas' records, made once for the module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        built = _build()
        yield built
        transaction.set_rollback(True)


def _client(world: World, role: str) -> Client:
    client = Client()
    if world.users[role] is not None:
        client.force_login(world.users[role])
    return client


def _snapshot() -> dict:
    # Not AccessLog: signing in (the operator's client, made on the way) adds to it.
    return factories.row_counts() | {
        model._meta.label: model.objects.count()
        for model in (AccessAttempt, AccessFailureLog, get_user_model())
    }


# ---------------------------------------------------------------------------------------------
# The cases of one admin, for one role
# ---------------------------------------------------------------------------------------------


@dataclass
class Matrix:
    world: World
    role: str
    client: Client
    cases: int = 0
    leaks: list = field(default_factory=list)

    def sees(self, tag: str) -> bool:
        return tag in SEES.get(self.role, ())

    def get(self, url: str, **params):
        self.cases += 1
        return self.client.get(url, params)

    def post(self, url: str, data: dict):
        self.cases += 1
        return self.client.post(url, data)

    def leak(self, what: str, url: str, detail=""):
        self.leaks.append(f"{self.role}: {what} {url} {detail}".strip())


def _base(model) -> str:
    return f"/admin/{model._meta.app_label}/{model._meta.model_name}/"


def _form_choices_leak(matrix: Matrix, form, url: str):
    """Every choice of a foreign key on the page is a record the role may see."""
    for name, form_field in form.fields.items():
        # An inline row's own key is a hidden field, not a choice: Django looks the row up
        # among the inline's rows of this record only.
        if not isinstance(form_field, ModelChoiceField) or name == form._meta.model._meta.pk.name:
            continue
        related = form_field.queryset.model
        offered = set(form_field.queryset.values_list("pk", flat=True))
        hidden = {
            pk
            for (model, pk), tag in matrix.world.tags.items()
            if model is related and not matrix.sees(tag)
        }
        if offered & hidden:
            matrix.leak(f"offers {related.__name__} {sorted(offered & hidden)} in {name} at", url)


def _operator_form(world: World, model, pk) -> dict:
    key = (model, pk)
    if key not in world.forms:
        operator = _client(world, "operator")
        world.forms[key] = change_form_data(operator.get(f"{_base(model)}{pk}/change/"))
    return world.forms[key]


def _check_signed_out(matrix: Matrix, model, model_admin):
    """Every page of the admin sends people who are not staff to the sign-in page."""
    base = _base(model)
    records = matrix.world.records(model)
    urls = [base, f"{base}add/", "/admin/autocomplete/"]
    for row, _tag in records:
        urls += [f"{base}{row.pk}/change/", f"{base}{row.pk}/history/", f"{base}{row.pk}/delete/"]
        urls.append(f"/admin/r/{ContentType.objects.get_for_model(model).pk}/{row.pk}/")
    if hasattr(model_admin, "import_action"):
        urls += [f"{base}import/", f"{base}export/", f"{base}process_import/"]
    for url in urls:
        for response in (matrix.get(url), matrix.post(url, {"post": "yes"})):
            if response.status_code != 302 or not response.url.startswith("/admin/login/"):
                matrix.leak(f"not sent to sign in ({response.status_code}) at", url)


def _check_changelist(matrix: Matrix, model, model_admin):
    base = _base(model)
    response = matrix.get(base)
    expected = {
        row.pk for row, tag in matrix.world.records(model, all_of_them=True) if matrix.sees(tag)
    }
    if response.status_code == 200:
        listed = {row.pk for row in response.context["cl"].result_list}
        shown = {pk for pk in listed if (model, pk) in matrix.world.tags}
        if shown - expected:
            matrix.leak(f"lists {sorted(shown - expected)} at", base)
        if expected - shown:
            matrix.leak(f"fails to list its own {sorted(expected - shown)} at", base)
    elif expected:
        matrix.leak(f"cannot open the list of its own records ({response.status_code}) at", base)


def _check_add(matrix: Matrix, model, model_admin):
    url = f"{_base(model)}add/"
    response = matrix.get(url)
    if response.status_code == 200:
        _form_choices_leak(matrix, response.context["adminform"].form, url)
        for inline in response.context["inline_admin_formsets"]:
            _form_choices_leak(matrix, inline.formset.empty_form, url)


def _check_record(matrix: Matrix, model, model_admin, row, tag):
    base = f"{_base(model)}{row.pk}/"
    pages = [base + "change/", base + "history/", base + "delete/"]
    versions = getattr(model, "history", None)
    if versions is not None and hasattr(model_admin, "history_form_view"):
        version = versions.filter(id=row.pk).latest("history_date", "history_id")
        pages.append(f"{base}history/{version.history_id}/")
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    on_site = f"/admin/r/{content_type.pk}/{row.pk}/"
    if matrix.sees(tag):
        for page in pages[:2]:
            response = matrix.get(page)
            if response.status_code != 200:
                matrix.leak(f"cannot open its own record ({response.status_code}) at", page)
            elif page.endswith("change/"):
                _form_choices_leak(matrix, response.context["adminform"].form, page)
                for inline in response.context["inline_admin_formsets"]:
                    _form_choices_leak(matrix, inline.formset.empty_form, page)
        return
    for page in [*pages, on_site]:
        response = matrix.get(page)
        if response.status_code == 200 or (
            response.status_code == 302 and "/admin/login/" not in response.url and page == on_site
        ):
            matrix.leak(f"sees a record of {tag} ({response.status_code}) at", page)
    if matrix.role == "operator":
        return
    change_data = (
        _operator_form(matrix.world, model, row.pk)
        if model_admin.has_change_permission(_request(matrix.world.users["operator"]), row)
        else {}
    )
    matrix.post(base + "change/", change_data)
    matrix.post(base + "delete/", {"post": "yes"})
    for action in _actions(matrix.world, model_admin):
        matrix.post(
            _base(model),
            {"action": action, ACTION_CHECKBOX_NAME: [row.pk], "post": "yes", "index": 0},
        )


def _request(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def _actions(world: World, model_admin) -> list[str]:
    """Every action the admin has, as the operator's list offers them."""
    return list(model_admin.get_actions(_request(world.users["operator"])))


def _check_autocomplete(matrix: Matrix, model, model_admin):
    """The autocomplete endpoints of the page's foreign keys, and of its inlines'."""
    sources = [(model, name) for name in model_admin.autocomplete_fields]
    sources += [
        (inline.model, name)
        for inline in model_admin.inlines
        for name in inline.autocomplete_fields
    ]
    for source, name in sources:
        related = source._meta.get_field(name).related_model
        params = {
            "app_label": source._meta.app_label,
            "model_name": source._meta.model_name,
            "field_name": name,
        }
        response = matrix.get("/admin/autocomplete/", **params)
        if response.status_code != 200:
            continue
        offered = {int(result["id"]) for result in response.json()["results"]}
        hidden = {
            pk
            for (model_, pk), tag in matrix.world.tags.items()
            if model_ is related and not matrix.sees(tag)
        }
        if offered & hidden:
            matrix.leak(f"autocomplete offers {related.__name__} {sorted(offered & hidden)}", name)


def _csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def _check_spreadsheets(matrix: Matrix, model, model_admin):
    if not hasattr(model_admin, "import_action"):
        return
    base = _base(model)
    visions = {
        str(vision.pk) for vision, tag in matrix.world.records(Vision) if not matrix.sees(tag)
    }
    response = matrix.post(f"{base}export/", {"format": "1", "resource": "0"})  # CSV
    if response.status_code == 200 and "attachment" in response.get("Content-Disposition", ""):
        exported = {row[0] for row in _csv_rows(response.content)[1:]}
        if exported & visions:
            matrix.leak(f"exports rows of visions {sorted(exported & visions)} at", base)
    if matrix.role == "operator":
        return
    # Everyone's rows, as the operator exports them, imported by this role: refused.
    operator = _client(matrix.world, "operator")
    everything = operator.post(f"{base}export/", {"format": "1", "resource": "0"}).content
    upload = SimpleUploadedFile("upload.csv", everything)
    response = matrix.post(
        f"{base}import/", {"resource": "0", "format": "1", "import_file": upload}
    )
    if response.status_code == 200 and response.context and "confirm_form" in response.context:
        form = response.context["confirm_form"]
        matrix.post(f"{base}process_import/", {n: form[n].value() for n in form.fields})


def run_matrix(world: World, role: str, model) -> Matrix:
    model_admin = admin.site._registry[model]
    matrix = Matrix(world=world, role=role, client=_client(world, role))
    if role in SIGNED_OUT:
        _check_signed_out(matrix, model, model_admin)
        return matrix
    before = _snapshot()
    _check_changelist(matrix, model, model_admin)
    _check_add(matrix, model, model_admin)
    for row, tag in world.records(model):
        _check_record(matrix, model, model_admin, row, tag)
    _check_autocomplete(matrix, model, model_admin)
    _check_spreadsheets(matrix, model, model_admin)
    # Whatever it posted (changes, deletions, actions, imports of others' records): no row of
    # any table, history included, was added, changed away or removed.
    after = _snapshot()
    if after != before:
        changed = sorted(label for label in after if after[label] != before[label])
        matrix.leak(f"changed {changed} through the pages of", _base(model))
    return matrix


ADMIN_MODELS = sorted(admin.site._registry, key=lambda model: model._meta.label)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("model", ADMIN_MODELS, ids=lambda model: model._meta.label)
def test_no_role_sees_or_changes_what_is_not_theirs(world, role, model):
    matrix = run_matrix(world, role, model)

    assert matrix.leaks == []
    assert matrix.cases > 0


@pytest.mark.parametrize("model", ADMIN_MODELS, ids=lambda model: model._meta.label)
def test_the_matrix_notices_an_admin_that_stops_scoping(world, model, monkeypatch):
    model_admin = admin.site._registry[model]
    if not any(tag in ("A", "B") for (m, _pk), tag in world.tags.items() if m is model):
        pytest.skip("holds no area's records: only the operator opens it (checked above)")
    scoped = model_admin.get_queryset
    operator = _request(world.users["operator"])
    # The page's own rows, as the operator gets them: for everyone.
    monkeypatch.setattr(model_admin, "get_queryset", lambda request: scoped(operator))

    matrix = run_matrix(world, "planning_a", model)

    assert matrix.leaks, f"removing the scoping of {model.__name__} went unnoticed"
