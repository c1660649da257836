import pytest
from django.urls import reverse
from django.utils import translation

from municipalities.addresses import addresses


@pytest.mark.parametrize("language", ["ja", "en"])
def test_addresses_are_those_reverse_gives_in_each_language(language):
    with translation.override(language):
        project = addresses("vision:project", "pk", "0", slug="nagano")
        municipality = addresses("public:municipality_detail", "code", "000000")

        for pk in (1, 10, 2024, 999999):
            expected = reverse("vision:project", kwargs={"slug": "nagano", "pk": pk})
            assert project(pk) == expected
        for code in ("202011", "000000", "100005"):
            assert municipality(code) == reverse("public:municipality_detail", args=[code])
    assert project(7).startswith("/en/areas/") == (language == "en")


def test_addresses_refuse_a_value_that_is_not_a_whole_segment():
    with pytest.raises(ValueError, match="pk is not a whole segment"):
        addresses("vision:minutes", "pk", "0", slug="nagano")  # …/minutes/0.pdf
