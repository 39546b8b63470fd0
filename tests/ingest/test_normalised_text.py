"""One normalised text from every loader: no ligatures or full-width forms, no soft hyphens, words
joined across line ends with real hyphens kept; and titles that are not file names."""

from __future__ import annotations

from pathlib import Path

from ingest.cleaning import mend_table_rows, printed_page_numbers, remove_running_lines
from ingest.loaders import load_file
from ingest.loaders.pdf_layout import cells
from ingest.normalise import hyphenated_compounds, join_broken_word, normalise_text
from ingest.titles import (
    first_line,
    humanised_file_name,
    largest_font_lines,
    printed_year,
    usable_metadata_title,
)


def test_compatibility_characters_and_soft_hyphens_become_plain_letters() -> None:
    assert normalise_text("the \ufb01nal o\ufb00er of the ＵＮＤＰ co\u00adoperation") == (
        "the final offer of the UNDP cooperation"
    )


def test_superscript_digits_do_not_fuse_with_the_number_before_them() -> None:
    assert normalise_text("10⁶ USD in 2015² and CO₂") == "10^6 USD in 2015^2 and CO_2"


def test_a_word_broken_at_a_line_end_is_joined_and_real_hyphens_stay() -> None:
    compounds = hyphenated_compounds(["a well-known fund", "and South-South cooperation"])
    assert (
        join_broken_word("for inter-", "national cooperation", compounds) == "for international cooperation"
    )
    assert join_broken_word("the South-", "South agenda", compounds) == "the South-South agenda"
    assert join_broken_word("la cooperación Sur-", "Sur en", compounds) == "la cooperación Sur-Sur en"
    assert join_broken_word("a well-", "known fund", compounds) == "a well-known fund"
    assert join_broken_word("a coope\u00ad", "ração", compounds) == "a cooperação"
    assert join_broken_word("a sentence.", "Next one", compounds) is None


def test_text_files_are_normalised_too(tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_text(
        "# O\ufb03ce of the Fund\n\nＡ full-width line and a so\u00adft hyphen.\n", encoding="utf-8"
    )
    text = load_file(path).pages[0].text
    assert "Office" in text and "A full-width" in text and "soft hyphen" in text


def test_metadata_titles_that_are_file_names_or_placeholders_are_not_used() -> None:
    path = Path("roundtable-ssc-child-labour-2015.pdf")
    for junk in (
        "roundtable-ssc-child-labour-2015.html",
        "Microsoft Word - draft3.docx",
        "untitled",
        "2015",
        "",
    ):
        assert usable_metadata_title(junk, path) is None, junk
    assert usable_metadata_title("Regional Fund Report 2020", path) == "Regional Fund Report 2020"
    assert humanised_file_name(path) == "Roundtable ssc child labour 2015"


def test_the_largest_type_on_the_cover_is_the_title_when_it_stands_out() -> None:
    cover = [
        (20.0, "Work Programme"),
        (20.0, "for the year 2017"),
        (11.0, "Caracas, November 2016"),
        (20.0, "Annex"),
    ]
    assert largest_font_lines(cover, body_sizes=[11.0] * 20) == "Work Programme for the year 2017"
    assert largest_font_lines([(11.0, "Hello, World!")], body_sizes=[]) is None  # nothing stands out
    title = "Work Programme for the year 2017"
    assert printed_year("Work Programme for the year 2017\nCaracas, November 2016", title) == 2016
    assert first_line("\n# Informe de la cooperación sur-sur\nTexto") == "Informe de la cooperación sur-sur"
    opening = "El Fondo Argentino de Cooperación Horizontal es un programa de la Cancillería " * 3
    title = first_line(opening)
    assert title and title.endswith("…") and len(title) <= 91 and title.startswith("El Fondo Argentino")
    unbroken = first_line("x" * 300)
    assert unbroken and len(unbroken) == 91


def test_printed_page_numbers_need_a_count_and_real_roman_numerals() -> None:
    footer = "Permanent Secretariat\t{}"
    pages = [["Some text", footer.format(n)] for n in (1, 2, 3)]
    assert printed_page_numbers(pages) == ["1", "2", "3"]
    assert printed_page_numbers([["Text"], ["Some text", "Total\t1,250\t250"], ["Text"]]) == [None] * 3
    assert printed_page_numbers([["Civil"], ["Civil"]]) == [None, None]  # a word, not a numeral


def test_a_lone_address_at_a_page_edge_is_text_but_a_browsers_footer_is_not() -> None:
    pages = [
        ["Report", "See https://www.ilo.org/report.pdf"],
        ["Annex", "https://www.ilo.org/global/report.pdf"],
    ]
    kept = remove_running_lines(pages)
    assert "https://www.ilo.org/global/report.pdf" in kept[1]
    printed = [["Title", "Text of page one"], ["Text of page two", "https://example.org/r.html\t2/9"]]
    assert "https://example.org/r.html\t2/9" not in remove_running_lines(printed)[1]
    # OCR reads a speck before a scanned print's footer as a quote mark; it is still the footer.
    scanned = [["Title", "Text of page one"], ["Text of page two", "'file:///tm 14/18"]]
    assert remove_running_lines(scanned)[1] == ["Text of page two"]


def test_words_a_narrow_cell_broke_are_joined_only_as_the_prose_writes_them() -> None:
    pages = [
        ["Education and infrastructure come first, then a round of talks with CARICOM."],
        ["Educati on\tInfrastruc ture\tCARICO M", "a round\tNew ly"],
    ]
    assert mend_table_rows(pages)[1] == ["Education\tInfrastructure\tCARICOM", "a round\tNew ly"]


def test_a_justified_line_of_a_narrow_column_is_text_and_a_short_row_a_row() -> None:
    line = "ship,   Independence/equality,   Non-interfer-"
    assert cells(line) == [" ".join(line.split())]
    assert cells("Activities    Schedule") == ["Activities", "Schedule"]
    assert cells("27    21    34") == ["27", "21", "34"]
