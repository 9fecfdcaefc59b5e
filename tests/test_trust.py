"""Never a wrong figure: the rules behind short answers, metadata answers and clarifying replies."""
from assistant.answer.cite import citations_ok
from assistant.answer.clarify import needs_clarifying
from assistant.answer.short import _counted_match
from assistant.question import analyse
from assistant.search.english import lemmas

Q = "陕西省“十三五”易地扶贫搬迁共搬迁了多少户?"


def test_counted_noun_after_an_attributive_phrase():
    f = "制定了148项有针对性、可操作的整改措施,"
    e = f.index("项") + 1
    assert _counted_match(f, e, len(f), "整改措施", "项") == 1.0
    g = "制定了148项工作任务和整改措施,"  # another noun is counted
    assert _counted_match(g, g.index("项") + 1, len(g), "整改措施", "项") == -1.0


def test_a_noun_phrase_after_the_figure_that_goes_on_to_the_asked_word():
    f = "获得由阿联酋国家主权基金持股的上市公司纽顿集团首笔5亿美元战略投资。"
    e = f.index("美元") + 2
    assert _counted_match(f, e, len(f), "", "美元", "纽顿集团投资了多少美元?") == 0.0
    g = "全省“十三五”易地扶贫搬迁项目有11.09万户建档立卡群众签订旧房拆除协议"  # households that signed something
    assert _counted_match(g, g.index("万户") + 2, len(g), "", "户", "陕西省共搬迁了多少户?") == -0.5
    h = "县纪委监委四级调研员邱道鸿一行4人到均川镇开展为期3天的回访督查工作"  # a new predicate follows
    assert _counted_match(h, h.index("4人") + 2, len(h), "", "人", "均川镇巡察整改满意度测评结果是多少") == -0.5


def test_english_inflections():
    assert "cancel" in lemmas("cancelled") and "plan" in lemmas("planned") and "household" in lemmas("households")


def test_a_figure_of_something_else_is_never_the_short_answer(hash_assistant):
    """With the hash embedder the passage with 应腾退旧宅基地22.11万户 ranks first: that figure counts houses to
    vacate, not households relocated, and a stronger different candidate exists, so no bold figure is given."""
    ans = hash_assistant.ask(Q)
    assert ans.short_answer in ("", "24.93万户")
    if not ans.short_answer:
        assert ans.text.startswith("最相关的原文是") or ans.abstained


def test_metadata_question_cites_the_header_line_as_published(hash_assistant):
    ans = hash_assistant.ask("达州市的通报文号是多少?")
    assert ans.short_answer == "达市府办函〔2019〕30号" and not ans.abstained
    c = ans.citations[0]
    assert c.origin == "raw" and ans.short_answer in c.quote
    notice = hash_assistant.data.notices[c.notice_id]
    assert notice.raw_text[c.start:c.end] == c.quote
    assert citations_ok(ans, hash_assistant.data.notices) == []
    issuer = hash_assistant.ask("红石桥乡的通报是哪个单位发的?")
    assert issuer.short_answer == "中共榆阳区红石桥乡委员会" and issuer.citations[0].section == "落款"


def test_clarify_rules(gaz):
    assert needs_clarifying("甘肃呢?", False, analyse("甘肃呢?", gaz), ["甘肃"]) == "elliptical"
    assert needs_clarifying("甘肃呢?", True, analyse("甘肃呢?", gaz), ["甘肃"]) == ""
    assert needs_clarifying("整改", False, analyse("整改", gaz), ["整改"]) == "vague"
    assert needs_clarifying("旧房拆除", False, analyse("旧房拆除", gaz), ["旧房", "拆除"]) == ""
    assert needs_clarifying("陕西复垦多少亩", False, analyse("陕西复垦多少亩", gaz), ["陕西", "复垦"]) == ""


def test_clarifying_replies_offer_questions_from_the_notices(hash_assistant):
    first = hash_assistant.ask("甘肃呢?")
    assert first.abstained and "例如" in first.text and "甘肃" in first.text and not first.short_answer
    vague = hash_assistant.ask("整改")
    assert vague.abstained and "具体" in vague.text and vague.text.count("\n- ") >= 2
    assert not hash_assistant.ask("甘肃呢?", history=[Q]).text.startswith("这个问题没有上文")
    after = hash_assistant.ask("整改", history=["达州市的通报文号是多少?"])  # a bare topic is not a follow-up
    assert after.abstained and "具体" in after.text and not after.short_answer


def test_levels_are_not_the_change_asked():
    from assistant.answer.short import _level_of_change
    f = "将全程运行时间从10小时30分压缩至9小时26分,压缩了64分钟"
    q = "全程运行时间压缩了多少?"
    a, b = f.index("10小时"), f.index("9小时")
    assert _level_of_change(f, a, a + 7, 0, len(f), q) < 1.0
    assert _level_of_change(f, b, b + 5, 0, len(f), q) < 1.0
    c = f.index("64")
    assert _level_of_change(f, c, c + 4, 0, len(f), q) == 1.0
    assert _level_of_change("共搬迁24.93万户", 3, 10, 0, 10, "搬迁了多少户") == 1.0


def test_superlative_picks_the_name_with_the_extreme_figure():
    from assistant.answer.short import _superlative
    f = "甲镇逾期率2.1%,乙镇高达6.1%,丙镇1.5%。"
    spans = [(f.index(x), f.index(x) + 2, 1.0, 0.0) for x in ("甲镇", "乙镇", "丙镇")]
    best = max(_superlative(f, spans, 0, len(f), "max"), key=lambda sp: sp[2])
    assert f[best[0]:best[1]] == "乙镇"
    low = max(_superlative(f, spans, 0, len(f), "min"), key=lambda sp: sp[2])
    assert f[low[0]:low[1]] == "丙镇"


def test_figures_that_differ_between_notices_are_each_given_with_their_source(tmp_path):
    """Two notices state the same quantity with different figures: both are quoted with their notice and date,
    and neither is bold (the short answer stays empty)."""
    from assistant import Assistant, Config
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    body = ("{org}关于易地扶贫搬迁工作情况的通报\n一、总体情况\n截至年底,全县易地扶贫搬迁共搬迁{n}户,搬迁群众已全部入住。\n"
            "二、下一步工作\n继续做好后续扶持工作,确保搬得出、稳得住。\n{org}\n{date}\n")
    (corpus / "a.txt").write_text(body.format(org="中共某某县委员会", n="1200", date="2020年3月1日"), encoding="utf-8")
    (corpus / "b.txt").write_text(body.format(org="某某县人民政府办公室", n="1350", date="2020年12月1日"),
                                  encoding="utf-8")
    a = Assistant.load(config=Config(corpus_dir=corpus, index_dir=tmp_path / "index", embedding_backend="hash"))
    ans = a.ask("全县易地扶贫搬迁共搬迁了多少户?")
    assert not ans.abstained and ans.short_answer == ""
    assert "1200户" in ans.text and "1350户" in ans.text and len(ans.citations) == 2
    assert ans.text.startswith("各通报给出的数字不同")
    assert citations_ok(ans, a.data.notices) == []


def test_english_frame_figures_pass_the_citation_check():
    from assistant.answer.cite import answer_problems
    from assistant.answer.compose import english_figure
    from assistant.text import bare_numbers
    from assistant.types import Citation, Notice
    text = "全县共搬迁3000户。"
    n = Notice("n1", "a.txt", "某县通报", "某县", None, None, None, None, None, None, None, text)
    c = Citation(n=1, notice_id="n1", title="某县通报", issuer="某县", date=None, section="", quote=text[:9],
                 start=0, end=9)
    answer = f"Answer: 3000户 ({english_figure('3000户')}) [1]\n\nSource: “{c.quote}”[1]"
    derived = tuple(bare_numbers(english_figure("3000户")))
    assert answer_problems(answer, [c], {"n1": n}, own_numbers=(1, 1, *derived)) == []


def test_a_rounded_figure_the_question_states_is_not_its_answer():
    from assistant.answer.short import _restates
    assert _restates("151396人", "15万多") and _restates("15.2万人", "15万余")
    assert not _restates("10.03万人", "15万多") and not _restates("151396人", "15人")
    assert not _restates("24.95万户", "24.93万户")


def test_english_question_with_a_weak_retriever_gets_no_wrong_figure(hash_assistant):
    """The hash embedder misses the passage with 24.93万户; the one it finds says 搬迁应腾退旧宅基地22.11万户, seven
    characters between 搬迁 and the figure: quoted, never bold."""
    ans = hash_assistant.ask("How many households were relocated in Shaanxi?")
    assert ans.short_answer in ("", "24.93万户")


def test_strong_evidence_rule_needs_every_feature_and_is_calibrated():
    from assistant.answer.extractive import is_strong
    from assistant.lexicon import confidence_model
    rule = {"sentence": 0.9, "local": 0.8, "anchor": 0.7}
    assert is_strong({"sentence": 1.0, "local": 0.85, "anchor": 0.7}, rule)
    assert not is_strong({"sentence": 1.0, "local": 0.85, "anchor": 0.6}, rule)  # no question term by the figure
    assert not is_strong({"sentence": 1.0, "local": 0.85}, rule)  # a missing feature is not met
    assert not is_strong({"sentence": 1.0, "local": 1.0, "anchor": 1.0}, {})  # no rule: the model decides
    shipped = confidence_model()
    assert "calibrate.py" in shipped["_source"] and shipped["short"]["strong"]
    assert all(0.0 < v <= 1.0 for rule in shipped["short"]["strong"] for v in rule.values())
    # several rules: any one; a date rule applies to date questions only
    rules = [rule, {"date": 1.0, "sentence": 0.7, "local": 0.6}]
    assert is_strong({"date": 1.0, "sentence": 0.75, "local": 0.65, "anchor": 0.0}, rules)
    assert not is_strong({"date": 0.0, "sentence": 0.75, "local": 0.65, "anchor": 0.0}, rules)
    # a "_max" key bounds a feature from above: no heavy question term missing from the sentence
    apart = {"sentence": 0.6, "margin": 0.2, "missing_max": 0.1}
    assert is_strong({"sentence": 0.7, "margin": 0.3, "missing": 0.05}, apart)
    assert not is_strong({"sentence": 0.7, "margin": 0.3, "missing": 0.2}, apart)
    assert not is_strong({"sentence": 0.7, "margin": 0.1, "missing": 0.0}, apart)  # a near tie with another figure


def test_calibration_adds_a_rule_only_for_answers_the_others_miss_and_never_a_wrong_one():
    """The third strong-evidence rule (a figure that stands apart) is chosen counting the first two rules' answers:
    it must add right answers and keep wrong ones at the allowed number; the strictest of equals is kept."""
    import sys
    from pathlib import Path
    import numpy as np
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    from calibrate import choose_rules
    from assistant.answer.extractive import is_strong

    def row(right, **f):
        base = {"sentence": 0.0, "local": 0.0, "anchor": 0.0, "margin": 0.0, "fit": 0.0, "missing": 1.0, "date": 0.0}
        return {"features": {**base, **f}, "short_right": right}
    R = [row(True, sentence=1.0, local=1.0, anchor=1.0, margin=0.5, fit=1.0, missing=0.0),  # the first rule's
         row(True, sentence=0.75, local=0.5, anchor=1.0, margin=0.6, fit=1.0, missing=0.0),  # stands apart
         row(True, sentence=0.72, local=0.4, anchor=0.9, margin=0.4, fit=1.0, missing=0.05),  # stands apart
         row(False, sentence=0.8, local=0.7, anchor=1.0, margin=0.05, fit=1.0, missing=0.0),  # a near tie
         row(False, sentence=0.8, local=0.7, anchor=1.0, margin=0.8, fit=1.0, missing=0.3)]  # lacks a detail
    y = np.array([1.0 if r["short_right"] else 0.0 for r in R])
    rules = choose_rules(R, y, 0)
    given = [is_strong(r["features"], rules) for r in R]
    assert given == [True, True, True, False, False]
    assert len(rules) == 2 and "margin" in rules[-1] and "missing_max" in rules[-1]  # no date rule: no date rows



def test_the_notices_own_date_is_answered_from_its_dated_line(hash_assistant):
    from assistant.answer.extractive import published_date
    assert published_date("发布时间:2023-05-26 14∶48", "2023-05-26") == "2023-05-26"
    assert published_date("2020年08月04日", "2020-08-04") == "2020年08月04日"
    assert published_date("2019年4月4日", "2019-04-05") is None
    assert published_date("二〇一九年四月四日", "2019-04-04") == "二〇一九年四月四日"
    ans = hash_assistant.ask("陕西省自然资源厅的整改通报是什么时候发布的?")
    assert ans.short_answer == "2021年3月23日" and ans.citations[0].section == "落款"
    assert ans.citations[0].quote == "2021年3月23日"
    # a document the question names by its title is not the notice that cites it: never the notice's own date
    other = hash_assistant.ask("陕西《关于抓紧做好当前易地扶贫搬迁重点工作的通知》是哪天印发的?")
    assert other.short_answer != "2021年3月23日"


def test_a_year_the_notices_do_not_give_is_not_answered_with_another_years_figure(hash_assistant):
    # the notice gives 533件 for 2021 only: asked about 2019, no figure and no quote of 2021 as the answer
    ans = hash_assistant.ask("安定区2019年市民生平台受理农村饮水投诉多少件?")
    assert ans.abstained and not ans.short_answer and "2019年" in ans.text
    right = hash_assistant.ask("安定区2021年市民生平台受理农村饮水投诉多少件?")
    assert not right.abstained and "533件" in right.citations[0].quote


def test_a_subject_held_only_by_the_title_gives_way_to_a_sentence_that_names_it(tmp_path):
    """"特斯拉被借出的比例是多少?" stated 33% in bold (found by probing crud-dev news pages no question is about): the
    article's title names 特斯拉, so "…阿尔斯通被借出的机构股比例也为33%" covered every word of the question, while
    "分别为特斯拉2.6%、…" names Tesla right by its own figure. The sentence that relies on the title for the subject
    states no figure; asked of Alstom, its own sentence does."""
    from assistant import Assistant, Config
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(
        "对冲基金做空最热门板块 特斯拉和开云集团成目标\n"
        "由于担心电动汽车、奢侈品和人工智能的繁荣会持续多久，对冲基金正押注市场上一些最热门板块的股票将下跌。"
        "不过，Hazeltree的数据显示，机构投资者持有的特斯拉、开云集团和爱德万测试的股票中被借出的比例相对较低，"
        "分别为特斯拉2.6%、开云集团0.9%和爱德万测试8.7%。这与电动汽车制造商Rivian Automotive Inc．形成鲜明对比，"
        "该公司33%的机构持有股被借出，在美洲大盘股中比例最高。它的拥挤度为74分。Hazeltree的数据显示，"
        "高速列车制造商阿尔斯通被借出的机构股比例也为33%，在EMEA大盘股中最高，其拥挤度为88分。\n",
        encoding="utf-8")
    a = Assistant.load(config=Config(corpus_dir=corpus, index_dir=tmp_path / "index", embedding_backend="hash"))
    ans = a.ask("特斯拉被借出的比例是多少?")
    assert ans.short_answer in ("", "2.6%")
    assert a.ask("阿尔斯通被借出的机构股比例是多少?").short_answer in ("", "33%")
