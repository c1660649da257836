"""The eight regions (地方) of Japan, by the prefecture part of a local government code (its
first two digits, 01 北海道 to 47 沖縄県, which run from north to south)."""

from django.utils.translation import gettext_lazy as _

# (last prefecture number of the region, its name), in code order.
REGIONS = (
    (1, _("Hokkaido (北海道)")),
    (7, _("Tohoku (東北)")),
    (14, _("Kanto (関東)")),
    (23, _("Chubu (中部)")),
    (30, _("Kinki (近畿)")),
    (35, _("Chugoku (中国)")),
    (39, _("Shikoku (四国)")),
    (47, _("Kyushu and Okinawa (九州・沖縄)")),
)


def region_of(code: str):
    """The region of the local government with this code."""
    prefecture = int(code[:2])
    return next(name for last, name in REGIONS if prefecture <= last)
