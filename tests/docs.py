"""Notice files of every format, made in the tests (nothing downloaded): a Word document (python-docx), a
two-page PDF with a text layer (reportlab's built-in CJK font STSong-Light, no font file), a web page with
navigation and footer, an image of a page of text for OCR (the PDF rendered by pypdfium2), and text files.

Each holds a fact that a known question asks for; the facts differ between formats, so a citation shows which
file answered.
"""
from __future__ import annotations

import io
from pathlib import Path

# ---------------------------------------------------------------- Word

DOCX_FACT = "全镇新建产业帮扶车间6个,吸纳搬迁群众就业318人。"
DOCX_QUESTION = "全镇新建了几个产业帮扶车间?"


def make_docx(path: Path) -> Path:
    import docx

    d = docx.Document()
    d.core_properties.title = "关于易地扶贫搬迁后续扶持工作的通知"
    d.core_properties.author = "测试"
    d.add_paragraph("青石镇人民政府文件")
    d.add_paragraph("青政发〔2022〕7号")
    d.add_heading("关于易地扶贫搬迁后续扶持工作的通知", level=1)
    d.add_paragraph("各村(社区):")
    d.add_paragraph("为巩固易地扶贫搬迁成果,镇政府决定开展后续扶持专项行动。现将有关事项通知如下。")
    d.add_heading("一、工作成效", level=2)
    d.add_paragraph("2022年以来," + DOCX_FACT + "同时开发公益岗位45个,优先安置搬迁家庭劳动力。")
    d.add_heading("二、安置点情况", level=2)
    t = d.add_table(rows=3, cols=3)
    for r, row in enumerate([("安置点", "搬迁户数", "搬迁人数"), ("河湾安置点", "120户", "486人"),
                             ("石桥安置点", "85户", "342人")]):
        for k, cell in enumerate(row):
            t.cell(r, k).text = cell
    d.add_paragraph("各村要认真落实本通知要求,确保搬迁群众稳得住、有就业、逐步能致富。")
    d.add_paragraph("青石镇人民政府")
    d.add_paragraph("二〇二二年三月十五日")
    d.save(str(path))
    return path


# ---------------------------------------------------------------- PDF

PDF_TITLE = "临河县易地扶贫搬迁后续扶持工作情况通报"
PDF_HEADER = PDF_TITLE  # the running header repeats the title, higher on the page
PDF_QUESTION = "临河县搬迁群众中有多少人实现了稳定就业?"
# The answer sentence starts at the foot of page 1 and ends at the top of page 2.
PDF_FACT = "截至2023年6月底,全县搬迁群众中实现稳定就业的有9876人"
PDF_QUESTION2 = "临河县财政安排了多少后续扶持资金?"
PDF_FACT2 = "2023年县财政安排后续扶持资金3200万元,重点支持安置点配套产业。"  # on page 2
_CHARS_PER_LINE = 28
_FONT = 14


def _pdf_paragraphs() -> list[tuple[str, str]]:
    filler = ("各乡镇坚持把搬迁群众后续扶持作为巩固拓展脱贫攻坚成果的重要任务,"
              "统筹推进产业发展、就业帮扶和社区治理,持续提升搬迁群众的获得感和幸福感。")
    return [
        ("title", PDF_TITLE),
        ("heading", "一、基本情况"),
        ("para", "全县“十三五”期间共实施易地扶贫搬迁2.65万户8.1万人,建成集中安置点47个。" + filler),
        ("para", filler + filler),
        ("heading", "二、就业帮扶"),
        ("para", filler + "县人社局牵头建立搬迁劳动力就业台账,逐户逐人落实帮扶措施。" + PDF_FACT
         + ",占有劳动能力搬迁人口的百分之九十二。"),
        ("para", PDF_FACT2 + "下一步,全县将继续加大就业帮扶力度,确保有劳动能力的搬迁家庭至少一人稳定就业。"),
        ("sign", "临河县人民政府办公室"),
        ("sign", "2023年7月10日"),
    ]


def _wrap(text: str, first_indent: float, width: float) -> list[str]:
    """Fill lines to the text width, as a typesetter does (digits are narrower than Chinese characters)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines, cur, avail = [], "", width - first_indent
    for ch in text:
        if stringWidth(cur + ch, "STSong-Light", _FONT) > avail:
            lines.append(cur)
            cur, avail = "", width
        cur += ch
    if cur:
        lines.append(cur)
    return lines


def make_pdf(path: Path | None = None, lines_on_page1: int = 0) -> bytes:
    """A two-page A4 PDF: running header and "- n -" page numbers on each page, paragraphs wrapped at the right
    margin (so sentences break across lines), and the answer sentence broken across the page break.
    Returns the bytes (and writes them to `path` when given)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    left, top, bottom, lead = 72, 760, 100, 22
    rows: list[tuple[str, str, int]] = []  # (kind, text, x)
    for kind, text in _pdf_paragraphs():
        if kind in ("title", "heading", "sign"):
            rows.append((kind, text, left + (2 * _FONT if kind == "title" else 0)))
        else:
            for k, ln in enumerate(_wrap(text, 2 * _FONT, _CHARS_PER_LINE * _FONT)):
                rows.append((kind, ln, left + (2 * _FONT if k == 0 else 0)))
    # put the page break inside the answer sentence: page 1 ends on the line holding its first half
    split_at = next(i for i, (_, t, _) in enumerate(rows) if "实现稳定" in t or "全县搬迁群众中" in t) + 1
    pages = [rows[:split_at], rows[split_at:]]
    for pno, page in enumerate(pages, start=1):
        c.setFont("STSong-Light", 10)
        c.drawString(left, 810, PDF_HEADER)
        c.drawString(290, 40, f"- {pno} -")
        c.setFont("STSong-Light", _FONT)
        y = top
        for kind, text, x in page:
            c.drawString(x, y, text)
            y -= lead
            assert y > bottom, "test PDF page overflows"
        c.showPage()
    c.save()
    data = buf.getvalue()
    if path is not None:
        Path(path).write_bytes(data)
    return data


# ---------------------------------------------------------------- web page

HTML_QUESTION = "西岭乡安置点配套建设了多少个扶贫车间?"
HTML_FACT = "西岭乡安置点配套建设扶贫车间3个,带动就业152人。"


def make_html(path: Path) -> Path:
    nav = "".join(f"<li><a href='/{i}'>{t}</a></li>" for i, t in enumerate(
        ["首页", "政务公开", "政策文件", "网站地图", "联系我们"]))
    page = f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<title>西岭乡关于易地扶贫搬迁安置点后续扶持情况的通报_西岭乡人民政府</title>
<meta name="publishdate" content="2021-09-18"></head><body>
<div class="nav"><ul>{nav}</ul></div>
<div class="crumb">当前位置: 首页 &gt; 政务公开 &gt; 通知公告</div>
<div class="article">
<h1>西岭乡关于易地扶贫搬迁安置点后续扶持情况的通报</h1>
<div class="info">发布时间:2021-09-18 来源:西岭乡人民政府</div>
<p>为做好易地扶贫搬迁后续扶持工作,现将有关情况通报如下。</p>
<h2>一、产业就业</h2>
<p>{HTML_FACT}同时组织技能培训6期,培训搬迁群众310人次。</p>
<h2>二、社区治理</h2>
<p>安置点成立社区党支部,设立便民服务站,为搬迁群众办理各类事项1200余件。</p>
<p>西岭乡人民政府</p><p>2021年9月18日</p>
</div>
<div class="footer"><p>版权所有:西岭乡人民政府 主办单位:西岭乡人民政府办公室 ICP备12345678号</p>
<p>网站标识码:1234567890 公网安备 11010502000001号</p></div>
</body></html>"""
    Path(path).write_text(page, encoding="utf-8")
    return path


# ---------------------------------------------------------------- text files

ONE_LINE_QUESTION = "北川镇今年完成了多少套安置房的分配?"
ONE_LINE_FACT = "北川镇今年完成安置房分配1,240套"


def one_line_article() -> str:
    """A news article on one line with 责任编辑 in the middle and at the end (as pages copied out of a browser)."""
    return ("新闻稿 \n2023-08-16 21:14:05，正文：本报讯 记者从北川镇获悉，" + ONE_LINE_FACT
            + "，入住率达到百分之九十六。镇里的责任编辑制度要求每篇通报由专人审核。"
            + "下一步，北川镇将继续完善安置社区配套设施，推动搬迁群众稳得住、能致富。返回搜狐，查看更多责任编辑：张三")


GBK_QUESTION = "产业奖补资金发放给了多少户搬迁户?"
GBK_TEXT = ("东坝村关于产业奖补资金发放情况的公示\n为支持搬迁群众发展产业,村委会按照奖补办法审核申报材料。"
            "本年度共向86户搬迁户发放产业奖补资金27.5万元。\n东坝村村民委员会\n2020年11月2日\n")
UTF16_QUESTION = "南屏社区开办了几期技能培训班?"
UTF16_TEXT = ("南屏社区搬迁群众技能培训情况\n社区联合县职业学校开办技能培训班4期,培训搬迁群众168人次,"
              "其中取得职业资格证书的有97人。\n南屏社区居民委员会\n2021年5月6日\n")

# ---------------------------------------------------------------- image for OCR

OCR_QUESTION = "白沙镇建成了几个集中安置点?"
OCR_LINES = ["白沙镇搬迁工作情况", "今年以来,白沙镇建成集中安置点5个,安置搬", "迁群众860户3120人。"]


def make_scan_png(path: Path) -> Path:
    """An image of a page of Chinese text: drawn as a PDF with reportlab's STSong-Light and rasterised with
    pypdfium2, so no font file is needed."""
    from reportlab.lib.pagesizes import A5
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas
    import pypdfium2 as pdfium

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A5)
    c.setFont("STSong-Light", 16)
    y = 520
    for k, line in enumerate(OCR_LINES):
        c.drawString(40 + (64 if k == 0 else 0), y, line)
        y -= 30
    c.showPage()
    c.save()
    doc = pdfium.PdfDocument(buf.getvalue())
    img = doc[0].render(scale=2.5).to_pil()
    doc.close()
    img.save(path)
    return path
