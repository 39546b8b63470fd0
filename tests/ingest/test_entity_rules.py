"""The entity rules on hand-made text, without a store or a model: what a name is, where it ends,
what type its head gives, and how findings resolve."""

from __future__ import annotations

from pathlib import Path

from ingest.entities.curated import read_curated
from ingest.entities.extraction import extract
from ingest.entities.resolution import resolve
from ingest.entities.store import spans_among
from ingest.models import Chunk


def _extracted(text: str) -> dict[str, tuple[str, list[str]]]:
    chunk = Chunk("c1", "doc", 0, text, 1, 1, "1. Funds", "text", "en")
    return {f.name: (f.type, sorted(f.aliases)) for f in extract([chunk]) if f.type != "acronym"}


def test_numbered_resolutions_openers_un_trust_funds_and_short_forms() -> None:
    found = _extracted(
        "Moreover the Spain-SEGIB Fund pays for the report. It follows General Assembly resolution "
        "62/209, GMC's Resolution 47/01 and Governing Council Decision 23/1. The United Nations Trust "
        "Fund for South-South Cooperation and the United Nations Children's Fund take part. The Seoul "
        "Development Consensus of the G20 was adopted in 2010."
    )
    assert found["Spain-SEGIB Fund"][0] == "fund"
    for name in ("General Assembly resolution 62/209", "Resolution 47/01", "Governing Council Decision 23/1"):
        assert found[name][0] == "agreement", name
    assert found["United Nations Trust Fund for South-South Cooperation"] == ("fund", [])
    assert found["United Nations Children's Fund"][0] == "agency"
    assert found["Seoul Development Consensus of the G20"] == ("agreement", ["Seoul Development Consensus"])
    assert not any(name.startswith(("Moreover", "Council and")) for name in found)


def test_an_acronym_followed_by_its_head_joins_the_entity_it_abbreviates() -> None:
    def chunk(chunk_id: str, text: str) -> Chunk:
        return Chunk(chunk_id, f"doc-{chunk_id}", 0, text, 1, 1, "s", "text", "en")

    findings = extract(
        [
            chunk("a", "The Special Multilateral Fund (SMF) finances technical cooperation."),
            chunk("b", "The SMF Fund approved twelve projects in 2010."),
        ]
    )
    funds = [e for e in resolve(findings) if e.type == "fund"]
    assert [(f.name, f.acronym) for f in funds] == [("Special Multilateral Fund", "SMF")]
    assert "SMF Fund" in funds[0].aliases


def test_plurals_slashes_ordinals_parties_and_short_references() -> None:
    found = _extracted(
        "Funds for SSC/TCC come from Variable Funds and from the UNESCO South-South Programme/Fund "
        "for Education. The Third Framework follows the El Salvador Program for Action and the "
        "Millennium Development Goals. Colombia is preparing a South-South Cooperation Agreement "
        "between Colombia and Brazil on CS issues. Member States adopted the Decent Work "
        "Hemispheric Agenda; the Hemispheric Agenda sets common goals. The CDB Strategic Plan "
        "and the Knowledge Strategy are the bank's own."
    )
    assert found["Variable Funds"][0] == "fund"
    assert found["UNESCO South-South Programme/Fund for Education"][0] == "fund"
    for name in ("Third Framework", "El Salvador Program for Action", "Millennium Development Goals"):
        assert found[name][0] == "agreement", name
    agreement = found["South-South Cooperation Agreement between Colombia and Brazil on CS"]
    assert agreement == ("agreement", ["South-South Cooperation Agreement between Colombia and Brazil"])
    assert found["Decent Work Hemispheric Agenda"] == ("agreement", ["Hemispheric Agenda"])
    assert not {"Funds for SSC/TCC", "Hemispheric Agenda", "CDB Strategic Plan", "Knowledge Strategy"} & set(
        found
    )


def test_kinds_of_body_headings_forums_and_bracketed_translations() -> None:
    found = _extracted(
        "CARIBBEAN RESILIENCE FUND\n"
        "The UNDP Country Offices and the Joint Commissions meet at the Caribbean Forum. UNEP "
        "supports the Red de Formación Ambiental (Environmental Training Network) in the region."
    )
    assert found["Caribbean Forum"][0] == "agency"
    both = _extracted(
        "The Planning Ministry and Solidarity and Social Investment Fund answered, like the Food "
        "and Agriculture Organization and the Group of Twenty Finance Ministers and Central Bank "
        "Governors."
    )
    assert {
        "Planning Ministry",
        "Solidarity and Social Investment Fund",
        "Food and Agriculture Organization",
    } <= set(both)
    assert "Group of Twenty Finance Ministers and Central Bank Governors" in both
    assert found["Red de Formación Ambiental"] == ("programme", ["Environmental Training Network"])
    assert not {"UNDP Country Offices", "Joint Commissions"} & set(found)
    assert "CARIBBEAN RESILIENCE FUND" not in found  # a heading, though "fund" would type it


def test_regional_bodies_slash_acronyms_and_names_ending_in_a_region() -> None:
    found = _extracted(
        "The Special Unit for South-South Cooperation (SU/SSC) works with the Economic Commission "
        "for Latin America and the Caribbean and the Common Market of the South (MERCOSUR). The "
        "Bolivarian Alliance for the Peoples of Our America (ALBA) and the United Nations met. The "
        "Press Department of the Permanent Secretariat of SELA publishes what the Permanent "
        "Secretariat of SELA decides."
    )
    assert found["Special Unit for South-South Cooperation"][0] == "agency"
    assert "SU/SSC" in found["Special Unit for South-South Cooperation"][1]
    for name in (
        "Economic Commission for Latin America and the Caribbean",
        "Common Market of the South",
        "Bolivarian Alliance for the Peoples of Our America",
        "United Nations",
    ):
        assert found[name][0] == "agency", name
    # A body of the secretariat is not the secretariat: no merging across "of the".
    assert found["Permanent Secretariat of SELA"][0] == "agency"
    assert found["Press Department of the Permanent Secretariat of SELA"][1] == ["Press Department"]


def test_a_name_holding_a_defined_acronym_is_also_known_written_out() -> None:
    found = _extracted("South-South Cooperation (SSC) is growing. ECLAC has a Regulatory Framework for SSC.")
    assert found["Regulatory Framework for SSC"] == (
        "agreement",
        ["Regulatory Framework for South-South Cooperation"],
    )


def test_odd_spacing_and_coordinated_names_never_break_extraction() -> None:
    for text in ("The  and Solidarity Fund pays.", "However  y Fondo Social.", "El  e Ministry of Health"):
        assert _extracted(text), text  # no exception, and the name after the "and" is still found
    assert "Solidarity Fund" in _extracted("The  and Solidarity Fund pays.")


def test_a_broken_or_odd_curated_file_is_ignored_not_fatal(tmp_path: Path) -> None:
    nested = tmp_path / "nested.yaml"
    nested.write_text("[" * 20_000, encoding="utf-8")
    assert read_curated(nested)[0] == []
    odd = tmp_path / "odd.yaml"
    odd.write_text(
        "entities:\n"
        "  - {name: Good Fund, type: fund, aliases: [Fondo Bueno]}\n"
        "  - {name: Blank Alias Fund, type: fund, aliases: ['  ']}\n"
        "  - {name: Number Alias Fund, type: fund, aliases: [3]}\n"
        "  - {name: '   ', type: fund}\n",
        encoding="utf-8",
    )
    assert [(e.name, sorted(e.aliases)) for e in read_curated(odd)[0]] == [("Good Fund", ["Fondo Bueno"])]
    assert read_curated(tmp_path / "missing.yaml") == ([], "")


def test_spans_skip_blank_names_and_keep_accents() -> None:
    text = "The Bogota\u0301 Statement names no one else."
    spans = spans_among(text, [("  ", "x", 0), ("bogota statement", "agreement:bogota", 0)])
    assert [(text[s:e], i) for s, e, i in spans] == [("Bogota\u0301 Statement", "agreement:bogota")]
