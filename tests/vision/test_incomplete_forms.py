"""An admin add form sent without the record it hangs on (a vision, a lead, a project, an
indicator, a participant's or a budget's municipality) names the missing field; the model's
clean() rules, which run all the same, do not fail on it with a server error."""

import pytest
from django.forms import Field
from django.urls import reverse
from django.utils import translation

from tests import factories
from tests.municipalities.admin_forms import change_form_data

pytestmark = pytest.mark.django_db


def _required():
    with translation.override("ja"):
        return str(Field.default_error_messages["required"])


def _posted(client, url, data):
    before = factories.row_counts()
    response = client.post(url, data)
    assert response.status_code == 200
    assert factories.row_counts() == before
    return response


@pytest.mark.parametrize(
    ("model", "missing"),
    [
        ("project", "vision"),
        ("project", "lead"),
        ("indicator", "project"),
        ("indicatoractual", "indicator"),
    ],
)
def test_admin_add_page_names_the_missing_field(admin_client, model, missing):
    indicator = factories.IndicatorFactory()
    project = indicator.project
    values = {
        "project": {
            "vision": project.vision_id,
            "code": "ア-099",
            "role": project.role,
            "field": project.field,
            "title": "新しい事業",
            "lead": project.lead_id,
        },
        "indicator": {
            "project": project.pk,
            "code": "99",
            "name": "新しい指標",
            "unit": "人",
            "baseline_value": "100",
            "baseline_fiscal_year": "2014",
            "target_value": "200",
            "target_fiscal_year": "2020",
        },
        "indicatoractual": {"indicator": indicator.pk, "fiscal_year": "2017", "value": "150"},
    }[model]
    url = reverse(f"admin:vision_{model}_add")
    data = change_form_data(admin_client.get(url)) | values | {missing: ""}

    response = _posted(admin_client, url, data)

    assert response.context["adminform"].form.errors[missing] == [_required()]


@pytest.mark.parametrize("inline", ["participations", "budgets"])
def test_project_admin_inline_row_without_municipality_names_the_field(admin_client, inline):
    project = factories.ProjectFactory()
    url = reverse("admin:vision_project_change", args=[project.pk])
    data = change_form_data(admin_client.get(url))
    item = factories.AgreementItemFactory(agreement__area=project.vision.area, role=project.role)
    row = {
        "participations": {"agreement_item": str(item.pk)},
        "budgets": {"fiscal_year": "2017", "amount": "1000"},
    }[inline]
    index = int(data[f"{inline}-TOTAL_FORMS"])
    data |= {f"{inline}-{index}-{field}": value for field, value in row.items()}
    data |= {f"{inline}-{index}-municipality": "", f"{inline}-TOTAL_FORMS": str(index + 1)}

    response = _posted(admin_client, url, data)

    formset = next(
        i.formset for i in response.context["inline_admin_formsets"] if i.formset.prefix == inline
    )
    assert formset.errors[index]["municipality"] == [_required()]
