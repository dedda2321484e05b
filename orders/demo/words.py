"""TODO"""

from agency.demo import in_language
from agency.models import Agency

#: The English agency's words for the Chinese ones of this demo (Sunrise is in Shanghai).
IN_ENGLISH = {
    "客厅": "Living room",
    "卧室": "Bedrooms",
    "厨房": "Kitchen",
    "卫生间": "Bathroom",
    "阳台": "Balcony",
    "擦窗": "Windows",
    "除胶": "Glue residue",
    "玻璃": "Glass",
    "地面": "Floors",
    "橱柜": "Cabinets",
    "卫浴": "Shower and toilet",
    "产妇护理": "Care of the mother",
    "新生儿护理": "Newborn care",
    "月子餐": "Confinement meals",
    "母乳喂养指导": "Breastfeeding support",
    "辅食": "Baby food",
    "早教陪玩": "Early-learning play",
    "洗护": "Bathing and changing",
    "陪同就医": "Hospital visits",
    "助餐": "Meals",
    "助浴": "Bathing",
    "陪伴聊天": "Company and conversation",
    "水电检修": "Plumbing and wiring check",
    "门锁更换": "Lock replacement",
    "故障检测": "Fault diagnosis",
    "更换配件": "Parts replaced",
    "通电试机": "Test run",
    "万用表": "Multimeter",
    "常用配件": "Common spare parts",
    "吸尘器": "Vacuum cleaner",
    "拖把": "Mop",
    "中性清洁剂": "Neutral detergent",
    "抹布（分色）": "Colour-coded cloths",
    "铲刀": "Scraper",
    "除胶剂": "Glue remover",
    "高空作业梯": "Tall ladder",
    "工业吸尘器": "Industrial vacuum",
    "王芳": "Emily Wang",
    "李娜": "Linda Li",
    "张伟": "Wei Zhang",
    "刘洋": "Oliver Liu",
    "周婷": "Tina Zhou",
    "陈静": "Jenny Chen",
    "孙丽": "Lily Sun",
    "朝阳区": "Pudong",
    "海淀区": "Xuhui",
    "东城区": "Huangpu",
    "西城区": "Jing'an",
    "建国路 88 号 3 单元 501": "Flat 501, 88 Zhangyang Road",
    "中关村大街 1 号 1201": "Flat 1201, 1 Tianyueqiao Road",
    "东直门内大街 5 号": "5 Henan South Road",
    "金融街 9 号": "9 Wuding Road",
    "东三环中路 7 号 1505": "Flat 1505, 7 Lujiazui Ring Road",
    "光华路 12 号 2 单元 902": "Flat 902, 12 Dongfang Road",
    "学院路 30 号 6 单元 301": "Flat 301, 30 Caoxi North Road",
    "对芒果过敏": "Allergic to mango",
    "一只猫": "A cat",
    "客厅完工": "Living room done",
    "卫生间完工": "Bathroom done",
    "加擦阳台玻璃 1 小时": "One more hour: balcony glass",
    "窗台有灰": "Dust on the window sills",
    "卫生间地漏有头发，窗台未擦。": "Hair in the bathroom drain; window sills not wiped.",
    "已重新清洁": "Cleaned again",
    "返工后很干净，谢谢。": "Spotless after the rework, thank you.",
    "家里临时有事，不需要了": "Something came up at home; no longer needed",
    "客户来电取消，已电话核实身份": "The customer called to cancel; identity checked on the phone",
    "返工耽误客户半天，退还部分费用": "Part of the fee back for the rework delay",
}


def say(agency: Agency, text: str) -> str:
    return in_language(agency, text, IN_ENGLISH[text])


def say_all(agency: Agency, texts: tuple[str, ...] | list[str]) -> list[str]:
    return [say(agency, text) for text in texts]
