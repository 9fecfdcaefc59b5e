"""Data: a small bilingual glossary of this field's terms (English question words -> Chinese search terms),
and field words jieba should keep whole. Place names are the only proper nouns here: the provinces,
and the cities and counties pinyin cannot be guessed from (extend as notices are added)."""
from __future__ import annotations

GLOSSARY: dict[str, list[str]] = {
    # relocation and poverty alleviation
    "relocation": ["易地扶贫搬迁", "搬迁"], "relocated": ["搬迁"], "relocate": ["搬迁"], "relocating": ["搬迁"],
    "resettlement": ["安置"], "resettled": ["安置"], "resettlement site": ["安置点"], "resettlement sites": ["安置点"],
    "moved": ["搬迁"], "move": ["搬迁"], "poverty alleviation": ["扶贫", "脱贫攻坚"], "poverty": ["贫困", "扶贫"],
    "poor": ["贫困"], "lifted out of poverty": ["脱贫"], "out of poverty": ["脱贫"],
    "13th five-year plan": ["十三五"], "thirteenth five-year plan": ["十三五"], "five-year plan": ["十三五"],
    "household": ["户"], "households": ["户"], "people": ["人"], "persons": ["人"], "population": ["人口"],
    "residents": ["群众"], "villagers": ["村民", "群众"], "village": ["村"], "villages": ["村"],
    "township": ["乡", "镇"], "town": ["镇"], "county": ["县"], "district": ["区"], "province": ["省"],
    "city": ["市"], "provincial": ["省"],
    "old house": ["旧宅", "旧房"], "old houses": ["旧宅", "旧房"], "old homes": ["旧宅", "旧房"],
    "homestead": ["宅基地"], "demolition": ["拆除", "拆旧"], "demolished": ["拆除"], "demolish": ["拆除"],
    "vacate": ["腾退"], "vacated": ["腾退"], "reclamation": ["复垦"], "reclaimed": ["复垦"],
    "housing": ["住房", "安置房"], "houses": ["住房"], "moved in": ["入住"], "occupancy": ["入住"],
    "dilapidated": ["危房"], "renovation": ["改造"],
    # inspection and rectification
    "inspection": ["巡视", "巡察"], "inspection team": ["巡视组", "巡察组"], "rectification": ["整改"],
    "rectified": ["整改"], "feedback": ["反馈"], "problems": ["问题"], "problem": ["问题"],
    "leading group": ["领导小组"], "accountability": ["问责"], "supervision": ["监督"],
    "party committee": ["党委"], "cadres": ["干部"], "officials": ["干部"], "training": ["培训"],
    "meetings": ["会议"], "meeting": ["会议"], "forms": ["填表"],
    # livelihood
    "loan": ["贷款"], "loans": ["贷款"], "microcredit": ["小额信贷"], "credit": ["信贷"],
    "tap water": ["自来水"], "coverage": ["覆盖", "普及率"], "coverage rate": ["普及率", "覆盖率"],
    "drinking water": ["饮水", "供水"], "water supply": ["供水"], "water": ["水"],
    "cooperative": ["合作社"], "cooperatives": ["合作社"], "dropout": ["辍学", "控辍保学"],
    "dropouts": ["辍学", "控辍保学"], "students": ["学生"], "school": ["学校"], "schools": ["学校"],
    "medical insurance": ["医保"], "health": ["健康"], "industry": ["产业"], "industries": ["产业"],
    "employment": ["就业"], "jobs": ["就业"], "funds": ["资金"], "funding": ["资金"], "fund": ["资金"],
    "points supermarket": ["积分超市"], "investment": ["投资"], "projects": ["项目"], "project": ["项目"],
    "land": ["土地"], "farmland": ["耕地"], "environment": ["环境"], "rural": ["农村"], "farmers": ["农户", "农民"],
    "social poverty alleviation network": ["社会扶贫网"], "registered": ["注册"], "volunteers": ["爱心人士"],
    "shell cooperative": ["空壳社"], "shell cooperatives": ["空壳社"], "shell": ["空壳社"],
    "cancelled": ["注销"], "canceled": ["注销"], "deregistered": ["注销"], "cancel": ["注销"],
    "workshop": ["扶贫车间", "车间"], "poverty alleviation workshop": ["扶贫车间"],
    "central inspection team": ["中央巡视组"], "inspection group": ["巡视组", "巡察组"],
    "provincial party committee": ["省委"], "district party committee": ["区委"],
    "agreement": ["协议"], "signed": ["签订"], "sign": ["签订"], "standard": ["标准"], "principle": ["原则"],
    "leader": ["组长"], "head": ["组长"], "team leader": ["组长"], "reclaim": ["复垦"],
    "mu": ["亩"], "yuan": ["元"], "percent": ["%"], "rate": ["率"], "overdue": ["逾期"],
    "phone": ["电话"], "telephone": ["电话"], "contact": ["联系方式", "电话"], "email": ["电子邮箱"],
    "postcode": ["邮编"], "address": ["地址"],
    # places
    "shaanxi": ["陕西"], "gansu": ["甘肃"], "sichuan": ["四川"], "beijing": ["北京"], "shanghai": ["上海"],
    "guangdong": ["广东"], "henan": ["河南"], "hubei": ["湖北"], "hunan": ["湖南"], "yunnan": ["云南"],
    "guizhou": ["贵州"], "guangxi": ["广西"], "qinghai": ["青海"], "ningxia": ["宁夏"], "xinjiang": ["新疆"],
    "tibet": ["西藏"], "shanxi": ["山西"], "hebei": ["河北"], "shandong": ["山东"], "jiangsu": ["江苏"],
    "zhejiang": ["浙江"], "anhui": ["安徽"], "jiangxi": ["江西"], "fujian": ["福建"], "hainan": ["海南"],
    "chongqing": ["重庆"], "tianjin": ["天津"], "liaoning": ["辽宁"], "jilin": ["吉林"],
    "heilongjiang": ["黑龙江"], "inner mongolia": ["内蒙古"],
    "dazhou": ["达州"], "yulin": ["榆林"], "yuyang": ["榆阳"], "hongshiqiao": ["红石桥"], "dingxi": ["定西"],
    "anding": ["安定区"], "lanzhou": ["兰州"], "xi'an": ["西安"], "xian": ["西安"], "shenmu": ["神木"],
}

# Words jieba should not split, so that BM25 matches them whole.
FIELD_WORDS: tuple[str, ...] = (
    "十三五", "易地扶贫搬迁", "积分超市", "腾退", "复垦", "旧宅", "安置点", "安置区", "安置房", "控辍保学",
    "两不愁三保障", "回头看", "巡察组", "巡视组", "整改成效", "整改措施", "小额信贷", "社会扶贫网",
    "一户一策", "四避开", "空壳社", "扶贫车间", "提质增效", "河湖长", "批而未供",
)

# Field synonyms: a question using one term should find passages using the other. Symmetric groups.
_SYNONYM_GROUPS: tuple[tuple[str, ...], ...] = (
    ("旧宅", "旧房", "旧宅基地", "宅基地"), ("拆除", "拆旧"), ("腾退", "腾空"), ("复垦", "复绿"),
    ("搬迁", "移民搬迁"), ("安置点", "安置区"), ("贫困户", "建档立卡"), ("培训", "培训班"),
    ("组长", "双组长"), ("组成", "组长", "成员"), ("民主生活会", "对照检查"),
)
SYNONYMS: dict[str, tuple[str, ...]] = {}
for _group in _SYNONYM_GROUPS:
    for _w in _group:
        SYNONYMS[_w] = tuple(dict.fromkeys(SYNONYMS.get(_w, ()) + tuple(x for x in _group if x != _w)))
