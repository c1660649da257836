import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, transaction

from municipalities.codes import (
    ERROR_CODE_CHECK_DIGIT,
    ERROR_CODE_FORMAT,
    check_digit,
    is_valid_code,
    validate_local_government_code,
)
from municipalities.models import Municipality
from tests import factories


def _refusal(code: str) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        validate_local_government_code(code)
    return caught.value


def test_check_digit_of_nagano_city():
    assert check_digit("20201") == 1


def test_validate_local_government_code_accepts_nagano_city():
    validate_local_government_code("202011")
    assert is_valid_code("202011")


def test_validate_local_government_code_refuses_wrong_check_digit_naming_expected():
    error = _refusal("202012")

    assert error.code == "check_digit"
    assert error.messages == [str(ERROR_CODE_CHECK_DIGIT) % {"code": "202012", "expected": 1}]
    assert not is_valid_code("202012")


@pytest.mark.parametrize(
    "code", ["20201", "2020111", "20201a", "２０２０１１", "", " 202011", "202011\n"]
)
def test_validate_local_government_code_refuses_bad_format(code):
    error = _refusal(code)

    assert error.code == "format"
    assert error.messages == [str(ERROR_CODE_FORMAT)]
    assert not is_valid_code(code)


@pytest.mark.parametrize(
    "code",
    [
        "202011",  # 長野市: the weighted sum leaves remainder 0, so 11 - 0 keeps its last digit 1
        "202070",  # 須坂市: remainder 1, so 11 - 1 keeps its last digit 0
        "131016",  # 千代田区
        "011002",  # 札幌市
    ],
)
def test_is_valid_code_accepts_real_codes(code):
    assert is_valid_code(code)
    assert check_digit(code[:5]) == int(code[5])


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["20201", "20201a", "2020-1", "20201\n"])
def test_municipality_code_constraint_refuses_code_saved_without_validation(code):
    municipality = factories.MunicipalityFactory.build(code=code)

    with pytest.raises(IntegrityError), transaction.atomic():
        municipality.save()
    assert not Municipality.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["202012", "202010", "131017"])
def test_municipality_code_check_digit_is_a_database_constraint(code):
    assert not is_valid_code(code)
    municipality = factories.MunicipalityFactory.build(code=code)

    with pytest.raises(IntegrityError), transaction.atomic():
        municipality.save()
    assert not Municipality.objects.exists()


@pytest.mark.django_db
def test_municipality_codes_with_the_right_check_digit_are_stored():
    # Check digits 0 to 9, including the remainders 0 and 1 that wrap round (11 → 1, 10 → 0).
    codes = {}
    for n in range(20000, 20400):
        codes.setdefault(check_digit(str(n)), f"{n}{check_digit(str(n))}")
    assert sorted(codes) == list(range(10))

    Municipality.objects.bulk_create(
        [factories.MunicipalityFactory.build(code=code) for code in codes.values()]
    )

    assert Municipality.objects.count() == 10


@pytest.mark.django_db
def test_municipality_code_column_refuses_a_trailing_newline_saved_without_validation():
    # SQLite does not enforce the column's length and Python's "$" accepts a final newline;
    # the check must refuse it there too (PostgreSQL refuses it as too long).
    municipality = factories.MunicipalityFactory.build(code="202011\n")

    with pytest.raises(DatabaseError), transaction.atomic():
        municipality.save()
    assert not Municipality.objects.exists()
