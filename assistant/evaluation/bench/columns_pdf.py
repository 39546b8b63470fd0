"""Producer 2: the document typeset in two columns with fpdf2, as a typeset report is: a cover page
and front matter numbered in roman (and labelled so in /PageLabels), a running header and a
printed page number, ruled full-width tables whose header row repeats on continuation pages,
soft-hyphenated words, and ligature glyphs in the text layer (ﬁ, ﬂ, ﬀ: what pypdf extracts from
many typeset PDFs)."""

from __future__ import annotations

import re
from pathlib import Path

from assistant.evaluation.bench.seed_blocks import Block

FONTS = Path("/usr/share/fonts/truetype/dejavu")
_LIGATURES = (("ffi", "\ufb03"), ("ffl", "\ufb04"), ("ff", "\ufb00"), ("fi", "\ufb01"), ("fl", "\ufb02"))
_WORD = re.compile(r"[A-Za-zÀ-ÿ]{9,}")
FRONT_MATTER_PAGES = 2


def with_ligatures(text: str) -> str:
    for letters, glyph in _LIGATURES:
        text = text.replace(letters, glyph)
    return text


def roman(number: int) -> str:
    values = ((10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))
    out = ""
    for value, letters in values:
        while number >= value:
            out, number = out + letters, number - value
    return out


def printed_label(page: int) -> str:
    return roman(page) if page <= FRONT_MATTER_PAGES else str(page - FRONT_MATTER_PAGES)


def render(blocks: list[Block], title: str, running_title: str, language: str, out: Path) -> Path:
    import pyphen
    from fpdf import FPDF
    from fpdf.enums import PageLabelStyle

    splitter = pyphen.Pyphen(lang={"en": "en_US", "es": "es", "pt": "pt_PT"}.get(language, "en_US"))

    class Report(FPDF):
        def header(self) -> None:
            if self.page_no() == 1:
                return
            self.set_font("serif", size=8)
            self.set_xy(self.l_margin, 8)
            self.cell(0, 5, running_title, align="C")
            self.line(self.l_margin, 14, self.w - self.r_margin, 14)
            self.set_y(20)

        def footer(self) -> None:
            self.set_y(-14)
            self.set_font("serif", size=9)
            self.cell(0, 5, printed_label(self.page_no()), align="C")

        def add_page(self, *args: object, **kwargs: object) -> None:
            super().add_page(*args, **kwargs)  # type: ignore[arg-type]
            if self.page_no() == 1:
                self.set_page_label(label_style=PageLabelStyle.LOWER_ROMAN)
            elif self.page_no() == FRONT_MATTER_PAGES + 1:
                self.set_page_label(label_style=PageLabelStyle.NUMBER, label_start=1)

    pdf = Report(format="A4")
    pdf.set_title("")  # typeset reports often carry no title, or a useless one
    pdf.add_font("serif", "", str(FONTS / "DejaVuSerif.ttf"))
    pdf.add_font("serif", "B", str(FONTS / "DejaVuSerif-Bold.ttf"))
    pdf.set_margins(16, 20, 16)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    pdf.set_font("serif", "B", 20)
    pdf.set_y(80)
    pdf.multi_cell(0, 10, title, align="C")
    pdf.add_page()

    def text(value: str) -> str:
        hyphenated = _WORD.sub(lambda m: splitter.inserted(m.group(0), hyphen="\u00ad"), value)
        return with_ligatures(hyphenated)

    pending: list[Block] = []

    def flush_columns() -> None:
        if not pending:
            return
        columns = pdf.text_columns(ncols=2, gutter=7, text_align="JUSTIFY", balance=True)
        with columns:
            for block in pending:
                if block.kind == "heading":
                    pdf.set_font("serif", "B", 11)
                    columns.write(text=with_ligatures(block.text))
                else:
                    pdf.set_font("serif", "", 9.5)
                    columns.write(text=("• " if block.kind == "bullet" else "") + text(block.text))
                columns.ln()
                columns.ln(h=1.5)
        pending.clear()

    for block in blocks:
        if block.kind != "table":
            pending.append(block)
            continue
        flush_columns()
        pdf.ln(3)
        pdf.set_font("serif", "", 7.5)
        with pdf.table(first_row_as_headings=True, repeat_headings=1, line_height=3.6) as table:
            for row in block.rows:
                table.row([with_ligatures(cell) for cell in row])
        pdf.ln(3)
    flush_columns()
    pdf.output(str(out))
    return out
