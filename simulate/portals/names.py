"""The names the farm's reports are published under: a county's government, offices, departments, towns."""

from __future__ import annotations

#: The bodies of a county that publish reports besides its government: its offices and departments as
#: they are named, then its towns, townships and sub-districts (common names). 64 names, so that a year's
#: column of the farm's biggest portal names each body once.
BODIES = (
    "人民政府办公室 发展和改革局 教育局 科学技术局 公安局 民政局 司法局 财政局 人力资源和社会保障局 自然资源局 "
    "生态环境局 住房和城乡建设局 交通运输局 水利局 农业农村局 商务局 文化广电和旅游局 卫生健康局 退役军人事务局 "
    "应急管理局 审计局 市场监督管理局 统计局 医疗保障局 林业局 乡村振兴局 城市管理局 行政审批服务局 信访局 "
    "人民政府国有资产监督管理委员会 "
    "城关镇人民政府 新华镇人民政府 东城街道办事处 西城街道办事处 南关镇人民政府 北关镇人民政府 河口镇人民政府 "
    "石桥镇人民政府 大坪乡人民政府 清河镇人民政府 白沙镇人民政府 黄田乡人民政府 青山乡人民政府 马场镇人民政府 "
    "龙泉镇人民政府 长乐乡人民政府 永安镇人民政府 太平镇人民政府 兴隆镇人民政府 和平乡人民政府 胜利乡人民政府 "
    "红旗镇人民政府 光明乡人民政府 三河镇人民政府 双河乡人民政府 高坪镇人民政府 桥头镇人民政府 新街乡人民政府 "
    "柳林镇人民政府 杨柳乡人民政府 松坎镇人民政府 花秋镇人民政府 羊磴镇人民政府 狮溪镇人民政府"
).split()


def body_name(place: str, i: int) -> str:
    """The ``i``-th body of a county that publishes a report: 0 its government, then :data:`BODIES` (a
    department's own portal publishes as itself)."""
    if place.endswith(("局", "委员会", "办公室")):
        return place
    if i == 0:
        return f"{place}人民政府"
    name = place + BODIES[(i - 1) % len(BODIES)]
    return name if i <= len(BODIES) else f"{name}（{(i - 1) // len(BODIES) + 1}）"
