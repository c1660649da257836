"""The national allocation-tax figures the product starts with: the partner's cap from
fiscal 2015 (seed Q5). They are rows of AllocationTaxRule, which the operator extends when a
figure changes; this first one is put in after every migrate (and after a test database is
emptied), unless a rule for that year is there already."""

from decimal import Decimal

FIRST_RULE = {
    "from_fiscal_year": 2015,
    "partner_special_cap": Decimal("15000000"),
    "source": (
        "総務省の連携中枢都市圏に対する地方財政措置（平成27年度から）：連携市町村1市町村"
        "あたり年間1,500万円を上限とする特別交付税（長野市「連携中枢都市圏構想に関するQ&A」Q5）"
    ),
}
REASON = "the cap the product checked before it became a rule"
# The first rule's source as earlier versions put it in (a half-width colon in Japanese):
# brought up to date where nobody has edited it since, with a history row.
EARLIER_SOURCES = (
    "総務省の連携中枢都市圏に対する地方財政措置（平成27年度から）: 連携市町村1市町村"
    "あたり年間1,500万円を上限とする特別交付税（長野市「連携中枢都市圏構想に関するQ&A」Q5）",
)
PUNCTUATION_REASON = "full-width punctuation in the seeded source"


def ensure_first_rule(sender=None, using="default", **kwargs) -> None:
    """post_migrate: the first rule, with its history row."""
    from .models import AllocationTaxRule

    existing = (
        AllocationTaxRule.objects.using(using)
        .filter(from_fiscal_year=FIRST_RULE["from_fiscal_year"])
        .first()
    )
    if existing is not None:
        if existing.source in EARLIER_SOURCES:
            existing.source = FIRST_RULE["source"]
            existing._change_reason = PUNCTUATION_REASON
            existing.save(using=using)
        return
    rule = AllocationTaxRule(**FIRST_RULE)
    rule._change_reason = REASON
    rule.save(using=using)
