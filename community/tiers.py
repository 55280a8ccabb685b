"""What each tier of the plan means, in a resident's words (shown on the networks page)."""

from django.utils.translation import gettext_lazy as _

from listings.vocabulary import Tier

TIER_MEANINGS = {
    Tier.CITY: _("市全体。専門の相談機関や、市全域で活動する団体・しくみです。"),
    Tier.JUNIOR_HIGH: _(
        "おおむね中学校区の広さ（圏域）。ほっとネットステーションと地域包括支援センターがあり、"
        "地域福祉コーディネーターが地区の活動を支えます。"
    ),
    Tier.ELEMENTARY: _(
        "おおむね小学校区の広さ（ふれまち地区）。ふれあいのまちづくりの住民活動が行われています。"
    ),
    Tier.NEIGHBOURHOOD: _(
        "自治会・町丁目の広さ。見守りやご近所の助け合い（ささえあいネットワーク）の単位です。"
    ),
}
