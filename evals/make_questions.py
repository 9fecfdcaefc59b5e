"""Source of evals/questions.jsonl: questions written by hand from the five notices.

Run `python evals/make_questions.py` to regenerate the JSONL; every evidence string must be verbatim in a cleaned
notice (tests/test_dev_set.py checks the JSONL the same way). `split` marks the half used for tuning ("tune")
and the held-out half ("heldout"), alternating within each type.
"""
import json
from pathlib import Path

Q = []


def q(type_, question, answers=(), evidence=(), history=(), unanswerable=False, lang="zh"):
    Q.append({"question": question, "answers": list(answers), "evidence": list(evidence), "history": list(history),
              "type": type_, "unanswerable": unanswerable, "lang": lang})


# ---- numbers
q("number", "陕西省“十三五”易地扶贫搬迁共搬迁了多少户?", ["24.93万户"], ["24.93万户"])
q("number", "陕西“十三五”易地扶贫搬迁涉及多少人?", ["84.36万"], ["84.36万"])
q("number", "陕西应腾退旧宅基地多少户?", ["22.11万户"], ["应腾退旧宅基地22.11万户"])
q("number", "陕西共复垦复绿旧宅基地多少亩?", ["7.04万亩"], ["共复垦复绿旧宅基地7.04万亩"])
q("number", "陕西延缓腾退拆除的三类特殊情况涉及多少户?", ["1947户"], ["三类特殊情况涉及的1947户"])
q("number", "陕西省级抽查验收组了几个核查组?", ["8个核查组"], ["46人组成8个核查组"])
q("number", "陕西省级抽查验收抽查了多少个集中安置区?", ["93个"], ["93个集中安置区(点)"])
q("number", "陕西每月电话抽查多少户样本户?", ["100户"], ["100户样本户"])
q("number", "陕西三项协议、安置申请资料录入比例达到多少?", ["98%"], ["录入比例均达到98%以上"])
q("number", "红石桥乡社会扶贫网注册了多少爱心人士?", ["2136人"], ["社会扶贫网注册爱心人士2136人"])
q("number", "红石桥乡种植人参多少亩?", ["120亩"], ["种植人参120亩"])
q("number", "红石桥乡优质牧草种了多少亩?", ["2276亩"], ["优质牧草2276亩"])
q("number", "红石桥乡有几个区级部门结对帮扶非贫困村?", ["9个"], ["有9个区级部门结对帮扶红石桥乡9个非贫困村"])
q("number", "红石桥乡评选了几户自强贫困户?", ["3户"], ["评选自强贫困户3户"])
q("number", "左界村饲养了多少头黑毛土猪?", ["300头"], ["饲养黑毛土猪300头"])
q("number", "甘肃一季度查处扶贫领域腐败和作风问题多少件?", ["376件"], ["376件850人"])
q("number", "甘肃全省贫困村已建立多少个农民专业合作社?", ["3.6万个"], ["3.6万个农民专业合作社"])
q("number", "甘肃清理注销了多少个空壳社?", ["650个"], ["清理注销“空壳社”650个"])
q("number", "甘肃规范提升了多少个合作社?", ["696个"], ["已规范提升合作社696个"])
q("number", "甘肃已建成并运行的集中供水工程有多少处?", ["9440处"], ["集中供水工程9440处"])
q("number", "甘肃全省集中供水率达到多少?", ["91%"], ["全省集中供水率达到91%"])
q("number", "甘肃制定了多少项整改措施?", ["148项"], ["制定了148项有针对性、可操作的整改措施"])
q("number", "甘肃有多少户建档立卡群众签订了旧房拆除协议?", ["11.09万户"], ["11.09万户建档立卡群众签订旧房拆除协议"])
q("number", "甘肃已拆除旧房多少套?", ["2.3万套"], ["已拆除旧房2.3万套"])
q("number", "甘肃新扶持创建了多少个扶贫车间?", ["29个"], ["新扶持创建扶贫车间29个"])
q("number", "甘肃排查出多少户已脱贫户仍住危房?", ["9176户"], ["9176户已脱贫户仍住危房"])
q("number", "甘肃排查扶贫领域统计报表多少份,废止多少份?", ["55份"], ["共排查扶贫领域各类统计报表55份,废止26份"])
q("number", "安定区小额信贷逾期多少户?", ["5134户"], ["小额信贷逾期5134户2.56亿元"])
q("number", "安定区小额信贷总逾期率是多少?", ["3.79%"], ["总逾期率3.79%"])
q("number", "安定区批而未供土地存量有多少亩?", ["4582.22亩"], ["批而未供土地存量4582.22亩"])
q("number", "安定区2021年财政科技支出多少万元?", ["1691万元"], ["全区2021年财政科技支出1691万元"])
q("number", "安定区2022年一季度申报的投资被核减了多少?", ["4.4亿元"], ["累计被核减4.4亿元"])
q("number", "巡察反馈给安定区的17个问题完成整改了几个?", ["14个"], ["已完成整改14个"])
q("number", "中华路街道辖区内有多少家物业公司?", ["25家"], ["中华路街道辖区内共有25家物业公司"])
q("number", "安定区2021年市民生平台受理农村饮水投诉多少件?", ["533件"], ["投诉举报533件"])
q("number", "达州易地扶贫搬迁人均住房建设面积不超过多少平方米?", ["25平方米"], ["人均住房建设面积不超过25平方米"])
q("number", "达州要求每个集中安置点至少有几项主导产业?", ["1项"], ["每个集中安置点至少有1项主导产业"])
# ---- dates
q("date", "陕西省委第一巡视组什么时候反馈的巡视意见?", ["6月19日"], ["6月19日,省委第一巡视组反馈了巡视意见"])
q("date", "陕西省自然资源厅党组什么时候召开专题民主生活会?", ["8月18日"], ["厅党组于8月18日召开了脱贫攻坚专项巡视"])
q("date", "中央巡视组什么时候向甘肃省委反馈巡视意见?", ["2019年1月18日"], ["2019年1月18日,中央巡视组向甘肃省委反馈了巡视意见"])
q("date", "甘肃省委常委会什么时候召开专题民主生活会?", ["3月25日"], ["3月25日,省委常委会召开专题民主生活会"])
q("date", "区委第四巡察组什么时候对红石桥乡进行巡察?", ["2018年11月中旬至2018年12月底"], ["2018年11月中旬至2018年12月底,区委第四巡察组对红石桥乡进行了巡察"])
q("date", "红石桥乡什么时候召开专题党委会议形成整改方案?", ["4月17日"], ["4月17日召开了专题党委会议"])
q("date", "安定区委什么时候召开巡察整改专题民主生活会?", ["9月16日"], ["9月16日,区委常委会召开市委巡察反馈问题整改专题民主生活会"])
q("date", "达州提质增效攻坚行动通知是哪天印发的?", ["2019年4月4日", "2019-04-04"], [])
q("date", "陕西省自然资源厅的整改通报是什么时候发布的?", ["2021年3月23日", "2021-03-23"], [])
# ---- policy / facts without figures
q("policy", "达州对搬迁户自筹有什么标准?", ["户均自筹不超过1万元"], ["户均自筹不超过1万元"])
q("policy", "陕西旧宅腾退坚持什么原则?", ["应腾尽腾、应拆尽拆、应复尽复"], ["应腾尽腾、应拆尽拆、应复尽复"])
q("policy", "凤翔镇河湖长制度规定每月巡河几次?", ["4次"], ["每月巡河巡沟不得少于4次"])
q("policy", "达州对就业安置提出了什么要求?", ["至少有1人实现就业"], ["至少有1人实现就业"])
q("policy", "甘肃对超过16周岁的辍学学生怎么办?", ["职业技能培训"], ["对超过16周岁的学生,开展职业技能培训"])
q("policy", "陕西整改工作领导小组组长由谁担任?", ["厅党组书记任组长"], ["由厅党组书记任组长"])
q("policy", "红石桥乡整改领导小组组长是谁?", ["党委书记"], ["组长由党委书记担任"])
q("policy", "安定区整改领导小组由谁任组长?", ["区委书记、区长任双组长"], ["由区委书记、区长任双组长"])
q("policy", "甘肃省级融资平台统贷统还问题是怎么整改的?", ["由省级直接偿还"], ["由省级直接偿还"])
q("policy", "陕西省自然资源厅通报的联系电话是多少?", ["029—81876213"], ["029—81876213"])
# ---- lists / precedents across notices
q("list", "哪些地方用积分超市激励群众?", ["积分"], ["积分超市", "积分兑物", "以积分换物品"])
q("list", "各地怎么处理旧宅腾退拆除?", ["拆"], ["一户一宅", "拆旧复垦", "应腾尽腾"])
q("list", "哪些通报提到召开专题民主生活会?", ["民主生活会"], ["专题民主生活会"])
q("list", "各地整改领导小组是怎么组成的?", ["组长"], ["任组长", "组长由党委书记担任", "双组长"])
q("list", "哪些地方建设扶贫车间带动就业?", ["扶贫车间"], ["扶贫车间"])
q("list", "各地如何加强档案管理?", ["档案"], ["档案"])
q("list", "哪些地方发展合作社带动贫困户?", ["合作社"], ["合作社"])
q("list", "各地如何开展技能培训?", ["培训"], ["培训"])
# ---- follow-ups
# The Gansu notice gives no relocation total (11.09万户 signed demolition agreements): the right reply says so.
q("followup", "甘肃呢?", history=["陕西省“十三五”易地扶贫搬迁共搬迁了多少户?"], unanswerable=True)
q("followup", "其中哪个镇最高?", ["凤翔镇"], ["其中凤翔镇高达6.1%"], history=["安定区小额信贷总逾期率是多少?"])
q("followup", "那规范提升了多少个?", ["696个"], ["已规范提升合作社696个"], history=["甘肃清理注销了多少个空壳社?"])
q("followup", "复垦了多少亩?", ["7.04万亩"], ["共复垦复绿旧宅基地7.04万亩"], history=["陕西应腾退旧宅基地多少户?"])
q("followup", "土鸡呢?", ["1000只"], ["土鸡1000只"], history=["左界村饲养了多少头黑毛土猪?"])
q("followup", "安定区呢?", ["9月16日"], ["9月16日,区委常委会召开"], history=["甘肃省委常委会什么时候召开专题民主生活会?"])
# ---- English
q("english", "How many households were relocated in Shaanxi?", ["24.93万户"], ["24.93万户"], lang="en")
q("english", "How many mu of old homesteads were reclaimed in Shaanxi?", ["7.04万亩"], ["7.04万亩"], lang="en")
q("english", "How many volunteers registered on the social poverty alleviation network in Hongshiqiao?", ["2136人"], ["2136人"], lang="en")
q("english", "How many households signed agreements to demolish old houses in Gansu?", ["11.09万户"], ["11.09万户"], lang="en")
q("english", "What is the overdue rate of microcredit loans in Anding district?", ["3.79%"], ["总逾期率3.79%"], lang="en")
q("english", "How many shell cooperatives were cancelled in Gansu?", ["650个"], ["650个"], lang="en")
q("english", "When did the central inspection team give feedback to the Gansu provincial party committee?", ["2019年1月18日"], ["2019年1月18日"], lang="en")
q("english", "How many poverty alleviation workshops were newly created in Gansu?", ["29个"], ["扶贫车间29个"], lang="en")
# ---- colloquial, short, typos of near-homophones
q("colloquial", "陕西滕退旧宅多少户", ["22.11万户"], ["应腾退旧宅基地22.11万户"])
q("colloquial", "红石桥爱心人士几个人", ["2136人"], ["爱心人士2136人"])
q("colloquial", "安定区逾期率多少", ["3.79%"], ["总逾期率3.79%"])
q("colloquial", "甘肃空壳社清了几个", ["650个"], ["空壳社”650个"])
q("colloquial", "陕西复恳多少亩", ["7.04万亩"], ["7.04万亩"])
q("colloquial", "甘肃拆了多少套旧房子", ["2.3万套"], ["已拆除旧房2.3万套"])
q("colloquial", "达州人均住房面积标准", ["25平方米"], ["人均住房建设面积不超过25平方米"])
q("colloquial", "安定区物业公司几家", ["25家"], ["共有25家物业公司"])
# ---- unanswerable
for text in ["北京市2023年的GDP是多少?", "上海市易地扶贫搬迁了多少户?", "广东省2020年脱贫攻坚投入多少资金?",
             "陕西省自然资源厅厅长是谁?", "红石桥乡2022年的财政收入是多少?", "安定区有多少名中小学教师?",
             "甘肃省2021年粮食产量是多少?", "达州市有多少个贫困村?", "What was Beijing's GDP in 2023?",
             "How many households were relocated in Yunnan?", "浙江省巡视整改通报说了什么?",
             "全国易地扶贫搬迁总人数是多少?"]:
    q("unanswerable", text, unanswerable=True, lang="en" if text.isascii() else "zh")

counts = {}
for item in Q:
    t = item["type"]
    counts[t] = counts.get(t, 0) + 1
    item["id"] = f"{t}-{counts[t]:02d}"
    item["split"] = "tune" if counts[t] % 2 else "heldout"

if __name__ == "__main__":
    out = Path(__file__).with_name("questions.jsonl")
    keys = ["id", "question", "answers", "evidence", "history", "type", "unanswerable", "lang", "split"]
    out.write_text("".join(json.dumps({k: it[k] for k in keys}, ensure_ascii=False) + "\n" for it in Q),
                   encoding="utf-8")
    print(len(Q), "questions", counts)
