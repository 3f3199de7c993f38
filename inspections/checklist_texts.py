"""The two checklists the product starts with, word for word from seed 003 (R-INS-1, R-INS-2). Pure
data: the data migration that seeds them and the tests that check them read it from here.

Each point: (text, which registry data it concerns, the class of 004 三 a 不符合 most likely is). The
class is only the form's suggestion; the officer decides. The texts give no statutory article per
point, so ``legal_basis`` names where the point comes from; the administrator adds articles in a new
version.
"""

PERMIT_HOLDER_SOURCE = (
    "《上海市普陀区排污许可证后管理实施方案（征求意见稿）》附件3 排污许可持证单位现场检查要点"
)
REGISTERED_SOURCE = "《上海市普陀区排污许可证后管理实施方案（征求意见稿）》第六条（执法检查）"

PERMIT_HOLDER_PARTS = (
    (
        "持证情况与资料核查",
        (
            ("是否依法取得排污许可证。", "permit", "unlicensed"),
            ("排污许可证是否在有效期内。", "permit", "unlicensed"),
            ("是否存在非法获得排污许可证，伪造、变造、转让排污许可证的情形。", "permit", "other_duties"),
        ),
    ),
    (
        "污染排放情况",
        (
            ("排放口位置、数量与许可证是否一致，排放口设置是否规范化。", "outlets", "other_duties"),
            (
                "大气污染物、水污染物的排放方式、去向是否与排污许可证要求一致。"
                "是否落实排污许可证规定的无组织排放管控措施。",
                "outlets",
                "permit_violation",
            ),
            (
                "固体废物产生量、贮存量是否与排污许可证要求一致，固体废物转移、处置是否与排污许可证要求一致。"
                "固体废物的管理制度是否完善。",
                "permit",
                "other_duties",
            ),
            (
                "噪声污染控制是否符合规范要求，是否按照许可证规定落实土壤污染防治要求，是否落实其他要素污染防治措施。",
                "permit",
                "other_duties",
            ),
            (
                "是否存在超许可排放浓度、超许可排放总量排放污染物。是否存在通过暗管、渗井、渗坑、灌注或者篡改、"
                "伪造监测数据，或者不正常运行污染防治设施等逃避监管的方式违法排放污染物的情形。",
                "limits",
                "permit_violation",
            ),
            (
                "特殊时段（如重污染响应、重大活动保障期间等）是否按照排污许可证规定停止或者限制排放污染物。",
                "permit",
                "permit_violation",
            ),
        ),
    ),
    (
        "自行监测落实情况",
        (
            (
                "是否制定自行监测方案，是否按照许可证规定开展自行监测，是否按照规定保存原始监测记录。",
                "monitoring",
                "self_monitoring",
            ),
            ("自行监测是否符合相关规范要求。", "monitoring", "self_monitoring"),
            (
                "是否在规定时间内完成自动监测监控设备建设、联网、验收和备案，是否存在自动监测监控设备不正常运行的情形。",
                "monitoring",
                "self_monitoring",
            ),
            (
                "是否存在篡改、伪造或者指使篡改、伪造自动监测监控数据等行为。",
                "monitoring",
                "permit_violation",
            ),
        ),
    ),
    (
        "环保设施运行情况、环境保护管理",
        (
            ("污染防治设施是否正常运行。", "permit", "permit_violation"),
            (
                "是否存在未纳入许可证的产污设施、治污设施或者与许可证不一致的产污设施、治污设施正在运行。",
                "permit",
                "permit_violation",
            ),
            (
                "是否按照许可证规定记录环境管理台账，是否按照规定保存台账记录，环境管理台账记录内容是否属实。",
                "",
                "other_duties",
            ),
            ("是否制定环境应急预案并备案。", "", "other_duties"),
        ),
    ),
)

# 003 第六条: "对排污登记单位，参照排污登记表，重点检查排污管理等级是否正确，环评与“三同时”管理落实情况，
# 污染防治设施运行情况、无组织排放管控等内容。"
REGISTERED_PARTS = (
    (
        "参照排污登记表检查",
        (
            ("排污管理等级是否正确。", "registration", "unlicensed"),
            ("环评与“三同时”管理落实情况。", "registration", "other_duties"),
            ("污染防治设施运行情况。", "", "other_duties"),
            ("无组织排放管控。", "", "other_duties"),
        ),
    ),
)

PART_NUMERALS = "一二三四五六七八九十"

CHECKLISTS = (
    (
        "permit-holder",
        "排污许可持证单位现场检查要点",
        "permit_holders",
        PERMIT_HOLDER_SOURCE,
        PERMIT_HOLDER_PARTS,
    ),
    ("registered-unit", "排污登记单位现场检查要点", "registered", REGISTERED_SOURCE, REGISTERED_PARTS),
)


def point_code(part_index: int, point_index: int) -> str:
    """二.5: the part's numeral and the point's number, as 附件3 numbers them (both from 0)."""
    return f"{PART_NUMERALS[part_index]}.{point_index + 1}"
