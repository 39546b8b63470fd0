from pathlib import Path

import docx

from ingest.loaders import load_file
from ingest.structure import parse_blocks


def test_docx_headings_paragraphs_and_tables(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("Fondo Conjunto de Cooperación Chile-México", level=1)
    document.add_heading("1. Objetivos", level=2)
    document.add_paragraph("El Fondo Conjunto financia proyectos de cooperación triangular en la región.")
    table = document.add_table(rows=3, cols=2)
    for row, (country, amount) in zip(
        table.rows, [("País", "Aporte"), ("Chile", "2 millones"), ("México", "2 millones")], strict=True
    ):
        row.cells[0].text, row.cells[1].text = country, amount
    path = tmp_path / "fondo.docx"
    document.save(str(path))

    loaded = load_file(path)
    assert loaded.source_format == "docx" and [p.number for p in loaded.pages] == [1]
    blocks = parse_blocks(loaded.pages)
    paragraph = next(b for b in blocks if b.kind == "paragraph")
    assert paragraph.section[-1] == "1. Objetivos"
    table_block = next(b for b in blocks if b.kind == "table")
    assert table_block.header == ["País\tAporte"] and "Chile\t2 millones" in table_block.rows
