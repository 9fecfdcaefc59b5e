import pytest

from assistant.ingest.clean import clean_lines, decode, drop_repeated_body
from assistant.ingest.corpus import build_notice, load_corpus
from assistant.errors import CorpusError

from .conftest import CORPUS, notice_by

EXPECTED = {
    "shaanxi": dict(
        title="中共陕西省自然资源厅党组关于脱贫攻坚专项巡视“回头看”整改情况的通报",
        issuer="中共陕西省自然资源厅党组", date="2021-03-23", province="陕西省", city=None, county=None,
        township=None, doc_number=None,
        start="根据省委统一部署,2020年5月10日至30日", end="中共陕西省自然资源厅党组\n2021年3月23日"),
    "dazhou": dict(
        title="达州市人民政府办公室关于开展易地扶贫搬迁“提质增效”攻坚行动的通知",
        issuer="达州市人民政府办公室", date="2019-04-04", province="四川省", city="达州市", county=None,
        township=None, doc_number="达市府办函〔2019〕30号",
        start="各县(市、区)人民政府,达州经开区管委会", end="达州市人民政府办公室\n2019年4月4日"),
    "gansu": dict(
        title="甘肃关于脱贫攻坚专项巡视整改进展情况的通报", issuer="中共甘肃省委员会", date="2019-05-20",
        province="甘肃省", city=None, county=None, township=None, doc_number=None,
        start="根据中央统一部署,2018年10月17日至11月30日", end="电子邮箱:szgbclxxz@163.com"),
    "hongshiqiao": dict(
        title="中共榆阳区红石桥乡委员会关于区委第四巡察组巡察整改情况的通报",
        issuer="中共榆阳区红石桥乡委员会", date="2019-06-10", province="陕西省", city="榆林市", county="榆阳区",
        township="红石桥乡", doc_number=None,
        start="2018年11月中旬至2018年12月底,区委第四巡察组", end="中共榆阳区红石桥乡委员会\n2019年6月10日"),
    "anding": dict(
        title="中共定西市安定区委员会关于五届市委第一轮巡察整改落实进展情况的通报",
        issuer="中共定西市安定区委员会", date=None, province="甘肃省", city="定西市", county="安定区",
        township=None, doc_number=None,
        start="按照市委巡察工作领导小组关于印发", end="电子邮箱:18117616203@163.com"),
}


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_cleaned_text_and_metadata(notices, key):
    n = notice_by(notices, key)
    exp = EXPECTED[key]
    for field in ("title", "issuer", "date", "province", "city", "county", "township", "doc_number"):
        assert getattr(n, field) == exp[field], field
    assert n.text.startswith(exp["start"])
    assert n.text.endswith(exp["end"])


def test_web_leftovers_removed(notices):
    for n in notices.values():
        for junk in ("网站地图", "版权所有", "ICP备", "公网安备", "网站标识码", "责任编辑", "网友评论", '">', "来 源:"):
            assert junk not in n.text, (n.path, junk)


def test_duplicated_body_kept_once(notices):
    n = notice_by(notices, "gansu")
    assert n.text.count("中央脱贫攻坚专项巡视是对我省脱贫攻坚工作的一次“问诊把脉”") == 1
    assert n.text.count("问题30“巡视中,还收到一些涉及领导干部的问题反映") == 1
    raw = (CORPUS / n.path).read_text(encoding="utf-8")
    assert len(n.text) < 0.6 * len(raw)


def test_header_row_becomes_metadata(notices):
    n = notice_by(notices, "dazhou")
    assert n.source == "达州市人民政府办公室"
    assert notice_by(notices, "gansu").source == "中央纪委国家监委网站"


@pytest.mark.parametrize("enc", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_encodings(enc):
    s = "一、总体要求\n搬迁24.93万户。"
    assert decode(s.encode(enc)) == s


def test_undecodable_file_is_named():
    with pytest.raises(CorpusError) as e:
        decode(bytes([0xFF, 0xFE, 0x00, 0xD8]) * 50 + b"\x00\x01\x02" * 100, "bad.txt")
    assert "bad.txt" in str(e.value)


def test_same_text_indexed_once_and_gbk_file_read(tmp_path, gaz):
    src = next(CORPUS.glob("*hongshiqiao*"))
    (tmp_path / "a.txt").write_bytes(src.read_bytes())
    (tmp_path / "b_copy.txt").write_bytes(src.read_bytes())
    (tmp_path / "c_gbk.txt").write_bytes(src.read_text(encoding="utf-8").encode("gb18030"))
    ns = load_corpus(tmp_path, gaz)
    assert len(ns) == 1


def test_missing_or_empty_corpus(tmp_path, gaz):
    with pytest.raises(CorpusError):
        load_corpus(tmp_path / "nope", gaz)
    with pytest.raises(CorpusError):
        load_corpus(tmp_path, gaz)
    (tmp_path / "empty.txt").write_text("   \n", encoding="utf-8")
    with pytest.raises(CorpusError):
        load_corpus(tmp_path, gaz)


def test_drop_repeated_body_keeps_short_repeats():
    lines = ["一是加强组织领导。" * 20, "二是强化督查。" * 20] * 1
    assert drop_repeated_body(lines + ["欢迎监督。"]) == lines + ["欢迎监督。"]
    body = [f"第{i}段内容。" * 15 for i in range(6)]
    assert drop_repeated_body(body + body) == body


def test_html_fragments(gaz):
    c = clean_lines('正文<span>一段</span>。\n邮箱:a@b.com">a@b.com">a@b.com\n网站地图 | 联系我们')
    assert c.lines == ["正文一段。", "邮箱:a@b.com"]


def test_build_notice_without_body(gaz):
    with pytest.raises(CorpusError):
        build_notice("x.txt", "网站地图\n版权所有", gaz)


# The opening of a field-dev report as published (traditional characters, no place in its title or issuer).
ANKANG = ("本網訊(通訊員 陳迪)近日,省發改委、人社廳等四部門聯合印發《關于對2023年度易地搬遷後續扶持示範安置區予以"
          "通報表揚的通知》,我市漢濱區大河鎮中心安置區、嵐皋縣縣城西窯移民搬遷安置點、白河縣縣城安置區被評為"
          "就業幫扶示範安置區。\n全市人社部門始終把易地搬遷就業創業後續扶持工作擺在突出位置。")


def test_region_from_the_places_a_text_names(gaz):
    n = build_notice("ankang.txt", ANKANG, gaz)
    assert (n.province, n.city, n.county) == ("陕西省", "安康市", None)  # 汉滨区, 岚皋县, 白河县: all 安康's
    assert gaz.infer("原标题:警方通报8月4日,呼和浩特市公安局玉泉区分局…赛罕区") == \
        {"province": "内蒙古自治区", "city": "呼和浩特市", "county": None}
    # one place each in three provinces, or a city named only once: about none of them
    assert gaz.infer("凯里市的务工人员到广东省佛山市的企业就业。")["province"] is None
    assert gaz.infer("怀化的经验值得推广,湖南各地都在学。")["province"] is None
    # places only after the opening: a national item that later gives two districts of one city as examples
    assert gaz.infer("全国" + "各地持续推进就业帮扶工作。" * 30 + "如海淀区、朝阳区。")["province"] is None
    # statistical groupings of the adcode table are no places: 县委 is not 重庆市县
    assert gaz.resolve("关于县委第十一轮巡察整改情况的通报")["province"] is None


def test_autonomous_prefectures_by_their_usual_names(gaz):
    from assistant.ingest.regions import prefecture_forms
    by_name = {p.name: p for p in gaz.places}
    assert prefecture_forms(by_name["凉山彝族自治州"], gaz.ethnic_groups) == ("凉山州", "凉山")
    assert prefecture_forms(by_name["黔西南布依族苗族自治州"], gaz.ethnic_groups) == ("黔西南州", "黔西南")
    assert [p.name for p in gaz._names["海南"]] == ["海南省"]  # 海南藏族自治州 does not take the province's name
    # field-dev's Sichuan report names only 凉山州昭觉县 and speaks of 全省
    text = "截至9月底,全省易地搬迁劳动力就业规模达51.9万人。这是记者从10月26日在凉山州昭觉县召开的全省易地搬迁后续扶持工作现场培训会上获悉的。"
    assert gaz.infer(text)["province"] == "四川省"


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_traditional_characters_read_as_simplified(gaz, notices, key):
    """The same notice written in traditional characters (as field-dev's reports are: 發文字號, 現將…予以公布, 網站地圖)
    has the same title, issuer, date, 文号, place and sections, each as the notice writes it."""
    import opencc
    from assistant.ingest.chunking import chunk_notice
    from assistant.text import fold
    n = notice_by(notices, key)
    trad = opencc.OpenCC("s2t").convert(n.raw_text)
    assert trad != n.raw_text
    t = build_notice(n.path, trad, gaz)
    for field in ("title", "issuer", "doc_number", "source"):
        assert fold(getattr(t, field) or "") == fold(getattr(n, field) or ""), field
    assert (t.date, t.province, t.city, t.county) == (n.date, n.province, n.city, n.county)
    assert fold(t.township or "") == fold(n.township or "")
    assert len(t.text) == len(n.text)  # the same lines kept (OpenCC may write a character fold does not undo: 瞭)
    assert [(p.start, p.end, len(p.section)) for p in chunk_notice(t.id, t.text)] == \
        [(p.start, p.end, len(p.section)) for p in chunk_notice(n.id, n.text)]


def test_traditional_web_furniture_and_header_lines():
    c = clean_lines("來 源: | 達州市人民政府辦公室 | 文 號: | 達市府辦函〔2019〕30號 |\n網站地圖\n正文。\n版權所有")
    assert c.lines == ["正文。"]
    assert (c.source, c.doc_number) == ("達州市人民政府辦公室", "達市府辦函〔2019〕30號")
    # a header before the article on its line: lifted into metadata, and reported dropped as written (not folded)
    c = clean_lines("２０２３-08-16 21:14:05 來源：新華網，正文：本報訊 記者獲悉。")
    assert c.lines == ["本報訊 記者獲悉。"] and (c.pub_date, c.source) == ("2023-08-16", "新華網")
    assert [d.text for d in c.dropped] == ["２０２３-08-16 21:14:05 來源：新華網，正文："]


def test_traditional_passages_are_embedded_in_simplified_characters(notices):
    """The embedding model reads a passage written in traditional characters in simplified ones (the same length); a
    simplified text quoting a traditional character or two is read as written, so the five notices' vectors and
    those of crud-dev's news pages are what they were."""
    import opencc
    from assistant.search.index import indexed_text
    from assistant.ingest.chunking import chunk_notice
    from assistant.text import simplified
    assert simplified("2022年中國易地扶貧搬遷民眾475.98萬人實現就業") == "2022年中国易地扶贫搬迁民众475.98万人实现就业"
    assert simplified("乾隆年间，後来") == "乾隆年间，後来"
    for n in notices.values():
        for p in chunk_notice(n.id, n.text):
            assert simplified(indexed_text(n, p)) == indexed_text(n, p) == f"{n.title}\n{p.section_label}\n{p.text}"
    t = opencc.OpenCC("s2t").convert("第一，搬迁群众已全部入住，就业帮扶全覆盖。")
    assert simplified(t) == "第一，搬迁群众已全部入住，就业帮扶全覆盖。"
