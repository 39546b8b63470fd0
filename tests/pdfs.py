"""Real PDFs built by the tests: several pages, running header and footer, a table, broken ones."""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

HEADER = "SELA - Work Programme 2017"
FOOTER = "Permanent Secretariat - Caracas"


def build_report_pdf(path: Path) -> Path:
    """Three pages of text plus a table; the second page is empty but for its header and footer."""
    pdf = FPDF()
    pdf.set_auto_page_break(False)
    pages = [
        [
            "1. Background",
            "The Perez-Guerrero Trust Fund (PGTF) supports economic and technical cooperation among",
            "developing countries. It finances feasibility studies and workshops for inter-",
            "national cooperation between countries of the South.",
        ],
        [],
        [
            "2. Contributions",
            "The following table lists the contributions received by the fund in 2010.",
        ],
    ]
    for number, lines in enumerate(pages, start=1):
        _new_page(pdf)
        pdf.set_font("Helvetica", size=11)
        y = 30
        for line in lines:
            pdf.set_xy(10, y)
            pdf.cell(0, 6, line)
            y += 7
        if number == 3:
            y += 4
            for row in (
                ("Country", "Contribution", "Year"),
                ("Argentina", "27 million", "2010"),
                ("Brazil", "70 million", "2010"),
                ("Uruguay", "2 million", "2010"),
            ):
                _table_row(pdf, y, row)
                y += 7
        pdf.set_font("Helvetica", size=9)
        pdf.set_xy(10, 285)
        pdf.cell(0, 5, f"{FOOTER}   {number}")
    pdf.output(str(path))
    return path


def build_encrypted_pdf(path: Path) -> Path:
    from pypdf import PdfReader, PdfWriter

    plain = build_report_pdf(path.with_suffix(".plain.pdf"))
    writer = PdfWriter()
    for page in PdfReader(plain).pages:
        writer.add_page(page)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="AES-128")
    with path.open("wb") as handle:
        writer.write(handle)
    plain.unlink()
    return path


def build_truncated_pdf(path: Path) -> Path:
    whole = build_report_pdf(path.with_suffix(".whole.pdf")).read_bytes()
    path.write_bytes(whole[: len(whole) // 3])
    path.with_suffix(".whole.pdf").unlink()
    return path


def build_long_table_pdf(path: Path) -> Path:
    """A table running over two pages, its header row repeated at the top of the second."""
    pdf = FPDF()
    pdf.set_auto_page_break(False)
    header = ("Country", "Demands", "Agreements")
    rows = [(f"Country{i:02d}", str(i), str(i % 4)) for i in range(60)]
    for page_rows in (rows[:35], rows[35:]):
        _new_page(pdf)
        pdf.set_font("Helvetica", size=10)
        y = 20
        for row in (header, *page_rows):
            _table_row(pdf, y, row)
            y += 7
    pdf.output(str(path))
    return path


def _new_page(pdf: FPDF) -> None:
    """A page with the running header every test PDF carries."""
    pdf.add_page()
    pdf.set_font("Helvetica", size=9)
    pdf.set_xy(10, 8)
    pdf.cell(0, 5, HEADER)


def _table_row(pdf: FPDF, y: float, cells: tuple[str, ...]) -> None:
    """Cells laid out in columns 60 mm apart, as a PDF table is."""
    for column, cell in enumerate(cells):
        pdf.set_xy(10 + column * 60, y)
        pdf.cell(50, 6, cell)


def build_one_page_pdf(path: Path, lines: list[str]) -> Path:
    """A single page of text lines (Latin-1: enough for Spanish and Portuguese)."""
    pdf = FPDF()
    pdf.set_auto_page_break(False)
    _new_page(pdf)
    pdf.set_font("Helvetica", size=11)
    for number, line in enumerate(lines):
        pdf.set_xy(10, 30 + 7 * number)
        pdf.cell(0, 6, line)
    pdf.output(str(path))
    return path


def build_broken_xref_pdf(path: Path) -> Path:
    """A good PDF whose cross-reference table points at the wrong offsets."""
    whole = build_report_pdf(path.with_suffix(".whole.pdf"))
    data = bytearray(whole.read_bytes())
    whole.unlink()
    start = data.rindex(b"xref")
    table = data[start:].split(b"trailer")[0]
    broken = bytes(table).replace(b"0000", b"9999")
    path.write_bytes(bytes(data[:start]) + broken + bytes(data[start + len(table) :]))
    return path


def build_blank_pages_pdf(path: Path, pages: int) -> Path:
    pdf = FPDF()
    for _ in range(pages):
        pdf.add_page()
    pdf.output(str(path))
    return path


def build_bomb_pdf(path: Path, inflated_mib: int = 400) -> Path:
    """One page whose content stream is a few hundred kilobytes that inflate to `inflated_mib`."""
    import zlib

    stream = zlib.compress(b"q Q " * (inflated_mib * 2**18), 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def build_bare_page_pdf(path: Path, lines: list[str]) -> Path:
    """One page holding only these lines, as small real-world files are (no running header)."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    for line in lines:
        pdf.cell(0, 10, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path
