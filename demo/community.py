"""The sample city's coordinators, area notices and networks (issue 17), as data, and their
loader. Everything here is fictional sample content; listings are named by their demo ``ID``."""

from __future__ import annotations

import datetime

from django.utils import timezone

from community.models import AreaNotice, Coordinator, Network, NetworkMember, Pillar
from listings.models import Area, ListingPage
from listings.vocabulary import Tier
from volunteering.models import VolunteerOpportunity

HUBS = [
    ("ne", "北東部圏域", "DEMO-W02", "0000-00-1101"),
    ("ce", "中部圏域", "DEMO-W03", "0000-00-1102"),
    ("so", "南部圏域", "DEMO-W04", "0000-00-1103"),
    ("we", "西部圏域", "DEMO-W05", "0000-00-1104"),
]
# The city-wide window takes concerns whose sender did not know the area.
CITY_DESK = ("sample", "福祉丸ごと相談窓口", "DEMO-W01", "0000-00-1100")

# (area code, title, body, days from today the notice started)
NOTICES = [
    (
        "ne",
        "北東部圏域 ふれまち交流会の参加者を募集しています（サンプル）",
        "<p>圏域内の5つのふれまち地区が集まる交流会です。どなたでも参加できます。"
        "申し込みはほっとネットステーションへ。</p>",
        3,
    ),
    (
        "ne-01",
        "みどり小地区 見守り協力員の説明会（サンプル）",
        "<p>ご近所の見守りに関心のある方向けの説明会を地区会館で開きます。</p>",
        1,
    ),
    (
        "so",
        "南部圏域 ほっとネットステーションの臨時休所（サンプル）",
        "<p>設備点検のため、今月の最終金曜日は休所します。お急ぎの相談は福祉丸ごと相談窓口へ。</p>",
        0,
    ),
]

NETWORKS = [
    {
        "code": "hotnet",
        "name": "ほっとネット",
        "name_kana": "ホットネット",
        "summary": "圏域ごとの地域福祉コーディネーターが、困りごとを"
        "受け止めて地域の力や専門機関につなぎます。",
        "who_for": "困りごとがあるけれど、どこに相談すればよいかわからない人。"
        "地域で活動したい人や団体も。",
        "what_it_does": "<p>4つの圏域にあるほっとネットステーションに"
        "地域福祉コーディネーターがいて、"
        "相談を受け止め、ほっとネット推進員と一緒に地域の活動を支えます。</p>",
        "how_to_reach": "<p>お住まいの圏域のほっとネットステーションに"
        "電話するか、直接お越しください。</p>",
        "pillar": Pillar.CONSULT,
        "tier": Tier.JUNIOR_HIGH,
        "members": [(hub, "窓口") for _, _, hub, _ in HUBS] + [("DEMO-W01", "市全域の相談窓口")],
    },
    {
        "code": "sasaeai",
        "name": "ささえあいネットワーク",
        "name_kana": "ササエアイネットワーク",
        "summary": "協力員と協力団体が、日ごろの暮らしの中でゆるやかに"
        "見守り、気づいたことを窓口へつなぎます。",
        "who_for": "ひとり暮らしの高齢者や、気になるご近所の方。見守りに協力したい住民・事業者。",
        "what_it_does": "<p>新聞販売店や商店などの協力団体と、住民の協力員が、"
        "いつもと違う様子に気づいたら地域包括支援センターに連絡します。</p>",
        "how_to_reach": "<p>協力員・協力団体になりたいときは、"
        "お住まいの圏域の地域包括支援センターへ。</p>",
        "pillar": Pillar.COMMUNITY,
        "tier": Tier.NEIGHBOURHOOD,
        "members": [
            ("DEMO-W07", "窓口"),
            ("DEMO-W08", "窓口"),
            ("DEMO-W09", "窓口"),
            ("DEMO-W10", "窓口"),
            ("DEMO-F03", "協力員の活動"),
            ("DEMO-F10", "協力員の活動"),
        ],
    },
    {
        "code": "fuemachi",
        "name": "ふれあいのまちづくり",
        "name_kana": "フレアイノマチヅクリ",
        "summary": "約20のふれまち地区で、住民が懇談会やサロン、防災の活動を続けています。",
        "who_for": "地区に住むすべての人。",
        "what_it_does": "<p>住民懇談会で地区の課題を話し合い、サロン、"
        "見守り、防災訓練などに取り組みます。</p>",
        "how_to_reach": "<p>地区の活動に参加するには、下の一覧から活動を"
        "選ぶか、ほっとネットステーションへ。</p>",
        "pillar": Pillar.COMMUNITY,
        "tier": Tier.ELEMENTARY,
        "members": [
            ("DEMO-F01", "住民懇談会"),
            ("DEMO-F06", "住民懇談会"),
            ("DEMO-F11", "住民懇談会"),
            ("DEMO-F15", "住民懇談会"),
            ("DEMO-F19", "全地区の交流"),
        ],
    },
    {
        "code": "chiiki-kyoryoku",
        "name": "地域協力ネットワーク",
        "name_kana": "チイキキョウリョクネットワーク",
        "summary": "自治会、学校、事業者などが地区ごとに集まり、地域の課題に一緒に取り組みます。",
        "who_for": "自治会・町内会、PTA、商店会、NPOなど、地区で活動する団体。",
        "what_it_does": "<p>地区の団体が情報を持ち寄り、"
        "防災や子どもの見守りなどを協力して進めます。</p>",
        "how_to_reach": "<p>参加したい団体は、圏域のほっとネットステーションへご相談ください。</p>",
        "pillar": Pillar.COMMUNITY,
        "tier": Tier.ELEMENTARY,
        "members": [("DEMO-F04", "防災"), ("DEMO-F08", "子どもの見守り"), ("DEMO-F14", "防災")],
    },
    {
        "code": "seikatsu-shien",
        "name": "生活支援コーディネーター",
        "name_kana": "セイカツシエンコーディネーター",
        "summary": "高齢の方の暮らしを支える地域の通いの場や助け合いを、増やしてつなぎます。",
        "who_for": "高齢の方とその家族、通いの場や助け合い活動をしている人・始めたい人。",
        "what_it_does": "<p>地域包括支援センターと一緒に、サロンや体操、"
        "ちょっとした助け合いを支えます。</p>",
        "how_to_reach": "<p>お住まいの圏域の地域包括支援センターへ。</p>",
        "pillar": Pillar.PARTICIPATE,
        "tier": Tier.JUNIOR_HIGH,
        "members": [("DEMO-I05", "通いの場"), ("DEMO-F07", "通いの場"), ("DEMO-F13", "助け合い")],
    },
    {
        "code": "juso",
        "name": "重層的支援（福祉丸ごと相談）",
        "name_kana": "ジュウソウテキシエン",
        "summary": "制度の狭間や複数の困りごとを、"
        "相談・参加支援・地域づくりを組み合わせて支えます。",
        "who_for": "困りごとが重なっている人、どの窓口に当たるのかわからない人。",
        "what_it_does": "<p>福祉丸ごと相談窓口が受け止め、関係する窓口と一緒に支援を考えます。"
        "社会とのつながりが途切れた人には、居場所や活動への参加を一緒に探します（参加支援）。</p>",
        "how_to_reach": "<p>福祉丸ごと相談窓口、または"
        "お住まいの圏域のほっとネットステーションへ。</p>",
        "pillar": Pillar.PARTICIPATE,
        "tier": Tier.CITY,
        "members": [
            ("DEMO-W01", "相談"),
            ("DEMO-W06", "相談"),
            ("DEMO-I07", "参加支援"),
            ("DEMO-I04", "参加支援"),
        ],
    },
]


# (title, role, when, area code, who can, support, network code, coordinator's area code)
OPPORTUNITIES = [
    (
        "ほっとネット推進員（サンプル）",
        "地区の困りごとに気づき、コーディネーターと一緒に考えます。",
        "月1回の推進員会議と、日ごろの声かけ",
        "ne",
        "圏域に住むか、通っている18歳以上の方",
        "研修、ボランティア保険",
        "hotnet",
        "ne",
    ),
    (
        "ささえあい協力員（サンプル）",
        "ご近所の様子をゆるやかに見守り、気づいたことを窓口に伝えます。",
        "ふだんの暮らしの中で",
        "so",
        "どなたでも",
        "説明会、相談先の案内",
        "sasaeai",
        "so",
    ),
    (
        "子ども食堂の調理・配膳ボランティア（サンプル）",
        "調理、配膳、片付けのお手伝い",
        "第2・第4土曜 10:00〜14:00",
        "ne-01",
        "中学生以上（中学生は保護者の同意が必要）",
        "衛生の研修、ボランティア保険",
        "",
        "ne",
    ),
    (
        "サロンのお茶出し・話し相手（サンプル）",
        "高齢の方のサロンで、お茶を出したり、おしゃべりの相手をしたりします。",
        "毎週水曜 13:30〜15:30",
        "we-02",
        "どなたでも。短い時間だけでも歓迎です。",
        "交通費の一部",
        "seikatsu-shien",
        "we",
    ),
]


def load_community() -> dict[str, int]:
    """Create or update the sample coordinators, notices and networks; counts of what changed."""
    listings = {
        page.external_id: page
        for page in ListingPage.objects.filter(external_id__startswith="DEMO-")
    }
    areas = {area.code: area for area in Area.objects.all()}
    counts = {"coordinators": 0, "notices": 0, "networks": 0, "opportunities": 0}
    for code, name, window, phone in [*HUBS, CITY_DESK]:
        _, created = Coordinator.objects.update_or_create(
            area=areas[code],
            name=f"{name} 地域福祉コーディネーター（サンプル）",
            defaults={
                # Mail to the demo's console backend only; .invalid never resolves.
                "notify_email": f"coordinator-{code}@example.invalid",
                "role": "地域福祉コーディネーター",
                "window": listings.get(window),
                "phone": phone,
                "hours": "平日 9:00〜17:00",
                "note": "困りごとの相談、地域の活動への参加、気になる人のことなど、何でもどうぞ。",
            },
        )
        counts["coordinators"] += created
    today = timezone.localdate()
    for code, title, body, days_ago in NOTICES:
        _, created = AreaNotice.objects.get_or_create(
            area=areas[code],
            title=title,
            defaults={"body": body, "shown_from": today - datetime.timedelta(days=days_ago)},
        )
        counts["notices"] += created
    for order, data in enumerate(NETWORKS, 1):
        values = {k: v for k, v in data.items() if k not in ("code", "members")}
        network, created = Network.objects.update_or_create(
            code=data["code"], defaults={**values, "sort_order": order}
        )
        counts["networks"] += created
        wanted = [(listings[eid], role) for eid, role in data["members"] if eid in listings]
        if [(m.listing_id, m.role) for m in network.members.all()] != [
            (page.pk, role) for page, role in wanted
        ]:
            network.members.all().delete()
            NetworkMember.objects.bulk_create(
                NetworkMember(network=network, listing=page, role=role, sort_order=i)
                for i, (page, role) in enumerate(wanted)
            )
    coordinators = {c.area.code: c for c in Coordinator.objects.select_related("area")}
    networks = {n.code: n for n in Network.objects.all()}
    for title, role, when, area, who, support, network, coordinator in OPPORTUNITIES:
        _, created = VolunteerOpportunity.objects.update_or_create(
            title=title,
            defaults={
                "role": role,
                "when": when,
                "area": areas[area],
                "who_can": who,
                "support": support,
                "network": networks.get(network),
                "coordinator": coordinators.get(coordinator),
            },
        )
        counts["opportunities"] += created
    return counts
