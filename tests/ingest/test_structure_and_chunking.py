from assistant.settings import ChunkingSettings
from ingest.chunking import chunk_blocks
from ingest.models import Page
from ingest.structure import parse_blocks

WORK_PROGRAMME = """**AREA I. INTRA-REGIONAL RELATIONS**

**PROGRAMME: INTEGRATION PROCESS**

**PROJECT I.2. Follow-up of the integration process**

**Activity I.2.3. Determinants of migration flows**

**A. Background and justification**

Migration flows in the region have grown over the last decade.

### B. Objectives

1. Analyse the determinants of migration flows.
2. Assess their impact on labour markets.

### C. Expected results

A study on migration flows delivered in November.

#### Activity I.2.4. Follow-up reports

##### A. Background and justification

Reports follow the subregional mechanisms.
"""


def _blocks(text: str):  # type: ignore[no-untyped-def]
    return parse_blocks([Page(number=1, text=text)])


def test_numbered_headings_nest_whatever_their_markdown_level() -> None:
    blocks = _blocks(WORK_PROGRAMME)
    results = next(b for b in blocks if b.text.startswith("A study on migration"))
    assert " > ".join(results.section) == (
        "AREA I. INTRA-REGIONAL RELATIONS > PROGRAMME: INTEGRATION PROCESS > "
        "PROJECT I.2. Follow-up of the integration process > "
        "Activity I.2.3. Determinants of migration flows > "
        "C. Expected results"
    )
    reports = next(b for b in blocks if b.text.startswith("Reports follow"))
    assert reports.section[-2:] == ("Activity I.2.4. Follow-up reports", "A. Background and justification")
    assert "Activity I.2.3. Determinants of migration flows" not in reports.section


def test_footnotes_and_captions_are_not_headings() -> None:
    blocks = _blocks("Intro paragraph.\n\n4 Ibid\n\nTable 2\n\nCountry\tTotal\nBrazil\t23\n")
    assert "heading" not in [b.kind for b in blocks]
    assert blocks[-1].kind == "table"
    assert blocks[-1].caption.endswith("Table 2")


def test_large_table_is_split_with_its_header_repeated() -> None:
    rows = "\n".join(f"Country {i}\t{i}\t{i % 3}" for i in range(200))
    text = f"Table 1\nGeneral results\n\nCountry\tDemand\tAgreements reached\n{rows}\nBrazil\t18\t17\n"
    drafts = chunk_blocks(_blocks(text), ChunkingSettings(table_max_chars=600))
    tables = [d for d in drafts if d.kind == "table"]
    assert len(tables) > 3
    for piece in tables:
        lines = piece.text.splitlines()
        assert lines[:2] == ["Table 1 General results", "Country\tDemand\tAgreements reached"]
        assert len(piece.text) <= 600
    holder = next(d for d in tables if "Brazil\t18\t17" in d.text)
    assert "Country\tDemand\tAgreements reached" in holder.text


def test_small_table_stays_whole() -> None:
    text = "Country\tDemand\tAgreements reached\nBahamas\t4\t3\nBrazil\t18\t17\nBolivia\t4\t0\n"
    drafts = chunk_blocks(_blocks(text), ChunkingSettings())
    assert len(drafts) == 1 and drafts[0].kind == "table"
    assert drafts[0].text.splitlines()[0] == "Country\tDemand\tAgreements reached"


def test_list_continued_in_a_new_chunk_keeps_its_lead_in() -> None:
    items = "\n".join(
        f"- Item number {i} describes one priority area of cooperation in detail." for i in range(30)
    )
    text = f"## Priorities\n\nThe OAS can play a major role in these areas:\n\n{items}\n"
    drafts = chunk_blocks(_blocks(text), ChunkingSettings(target_chars=400, max_chars=800))
    assert len(drafts) > 2
    assert all(d.text.count("The OAS can play a major role in these areas:") == 1 for d in drafts)
    assert all(d.section == "Priorities" for d in drafts)


def test_heading_is_never_left_alone_at_the_end_of_a_chunk() -> None:
    body = "Long paragraph about cooperation funds. " * 30
    text = f"## One\n\n{body}\n\n## Two\n\nShort text under two."
    drafts = chunk_blocks(_blocks(text), ChunkingSettings(target_chars=600, max_chars=1500))
    assert not drafts[0].text.rstrip().endswith("Two")
    assert drafts[-1].text.startswith("Two")
    assert drafts[-1].section == "Two"


def test_numbered_lines_after_a_lead_in_are_list_items_not_headings() -> None:
    text = (
        "## Challenges\n\nThese challenges are linked to three priority areas:\n\n"
        "1. Political support\n\nSupport for exchanges.\n\nRUNNING HEADER\n\n"
        "2. Systematization and research\n\n"
        "Observing ongoing actions.\n\n3. Education and training\n\nSharing lessons.\n\n"
        "## 4. Next Chapter\n\nText of the next chapter.\n\n5. Annexes\n\nMore."
    )
    blocks = _blocks(text)
    items = [b.text for b in blocks if b.kind == "list_item"]
    assert items == ["1. Political support", "2. Systematization and research", "3. Education and training"]
    assert all(b.section == ("Challenges",) for b in blocks if b.kind == "list_item")
    # A Markdown heading ends the list; plain numbered lines after it are headings again.
    assert [b.text for b in blocks if b.kind == "heading"] == ["Challenges", "4. Next Chapter", "5. Annexes"]


def test_a_paragraph_cut_by_a_page_break_is_joined() -> None:
    pages = [
        Page(number=3, text="## Results\n\nDuring 2017, SELA will start delving into subjects that have"),
        Page(number=4, text="received little attention, such as migration flows.\n\nA new paragraph."),
    ]
    blocks = [b for b in parse_blocks(pages) if b.kind == "paragraph"]
    assert blocks[0].text == (
        "During 2017, SELA will start delving into subjects that have received little attention, "
        "such as migration flows."
    )
    assert (blocks[0].page, blocks[0].page_end) == (3, 4)
    assert blocks[1].text == "A new paragraph." and blocks[1].page == 4


def test_a_page_break_before_a_capital_is_joined_only_where_the_sentence_cannot_end() -> None:
    pages = [
        Page(
            number=5,
            text="The secretariat reported on the year. The fund financed the project between Chile, "
            "Haiti and the",
        ),
        Page(
            number=6,
            text="Dominican Republic with a grant of two million dollars.\n\nAnnex 3 lists the partners",
        ),
        Page(number=7, text="Summary of the main results, by country and agency."),
    ]
    blocks = parse_blocks(pages)
    assert blocks[0].text == (
        "The secretariat reported on the year. The fund financed the project between Chile, Haiti and the "
        "Dominican Republic with a grant of two million dollars."
    )
    assert (blocks[0].page, blocks[0].page_end) == (5, 6)
    # "partners" may end a line that is not a sentence (a heading): the next page starts anew.
    assert [(b.text, b.page) for b in blocks[1:]] == [
        ("Annex 3 lists the partners", 6),
        ("Summary of the main results, by country and agency.", 7),
    ]
