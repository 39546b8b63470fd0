"""Questions a table answers by computation: the most or the least, rows with a given value, a
total, or how many columns a row has an entry in.

"Apart from Brazil, which country put forward the most requests?" is answered by no sentence: the
answer is the maximum of a column once a row is left out. A table passage is parsed into its header
and rows (as ingest stored it: one line per row, cells separated by tabs), the column is the one
whose header is closest in meaning to the question (the multilingual embedder, so "acuerdos" finds
"Agreements reached"), and the answer says how it was computed and cites the rows it used. A
question that does not map cleanly to one table and one column gets no computed answer."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from assistant.answering.models import DraftSentence
from assistant.answering.sentences import units
from assistant.retrieval.passages import Passage
from ingest.text_analysis import fold

# Closeness to the question of each candidate column's header, one score per header.
ColumnScorer = Callable[[list[str]], list[float]]

_NUMBER = re.compile(r"^[-+]?\d[\d.,]*\s*%?$")
_THOUSANDS = re.compile(r"^\d{1,3}(?:,\d{3})+$")
_TOTAL = re.compile(
    r"^(?:grand\s+)?(?:sub)?totals?\b|^(?:sub)?totales\b|^(?:sub)?totais\b|^sum\b|^suma\b|^soma\b"
)
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "uno": 1, "una": 1, "un": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5,
    "seis": 6, "siete": 7, "ocho": 8, "nueve": 9, "diez": 10, "um": 1, "uma": 1, "duas": 2,
    "quatro": 4, "sete": 7, "oito": 8, "nove": 9, "dez": 10,
}  # fmt: skip
_OPERATIONS = {
    "en": {
        "max": r"\b(?:most|highest|largest|greatest|biggest|maximum)\b",
        "min": r"\b(?:least|fewest|lowest|smallest|minimum)\b",
        "sum": r"\b(?:in total|total number|altogether|combined|sum of|add up)\b",
        "equal": r"\b(?:exactly (?P<n>\w+)|only (?P<one>one)|just (?P<one2>one)|a (?P<one3>single))\b",
        "exclude": r"\b(?:apart from|except(?: for)?|other than|besides|excluding)\s+(?P<x>[^,?;]+)",
    },
    "es": {
        "max": r"(?<!,\s)\b(?:mas|mayor|maximo|maxima)\b",
        "min": r"\b(?:menos|menor|minimo|minima)\b",
        "sum": r"\b(?:en total|suman|sumados|en conjunto|total de)\b",
        "equal": r"\b(?:exactamente (?P<n>\w+)|una (?P<one>sola)|un (?P<one2>solo)|solo (?P<one3>una?))\b",
        "exclude": r"\b(?:aparte de|excepto|salvo|ademas de|sin contar(?: a)?)\s+(?P<x>[^,?;]+)",
    },
    "pt": {
        "max": r"\b(?:mais|maior|maximo|maxima)\b",
        "min": r"\b(?:menos|menor|minimo|minima)\b",
        "sum": r"\b(?:no total|ao todo|somados|somam|total de)\b",
        "equal": r"\b(?:exatamente (?P<n>\w+)|uma (?P<one>so)|um (?P<one2>so)|apenas (?P<one3>uma?))\b",
        "exclude": r"\b(?:alem de|exceto|salvo|sem contar(?: o| a)?)\s+(?P<x>[^,?;]+)",
    },
}
_TEMPLATES = {
    "en": {
        "max": "{labels}: {value}, the highest {column} in the table{excluded}.",
        "min": "{labels}: {value}, the lowest {column} in the table{excluded}.",
        "equal": "{column} is {value} for: {labels}.",
        "sum": "{column}, all rows added up: {value} ({count} rows).",
        "excluded": " (leaving out {names})",
    },
    "es": {
        "max": "{labels}: {value}, el valor más alto de «{column}» en la tabla{excluded}.",
        "min": "{labels}: {value}, el valor más bajo de «{column}» en la tabla{excluded}.",
        "equal": "«{column}» es {value} para: {labels}.",
        "sum": "«{column}», sumadas todas las filas: {value} ({count} filas).",
        "excluded": " (sin contar {names})",
    },
    "pt": {
        "max": "{labels}: {value}, o valor mais alto de «{column}» na tabela{excluded}.",
        "min": "{labels}: {value}, o valor mais baixo de «{column}» na tabela{excluded}.",
        "equal": "«{column}» é {value} para: {labels}.",
        "sum": "«{column}», somadas todas as linhas: {value} ({count} linhas).",
        "excluded": " (sem contar {names})",
    },
}


@dataclass(frozen=True)
class Table:
    """A parsed table passage: header cells, and each row's cells with its verbatim line."""

    header: list[str]
    rows: list[tuple[list[str], str]]

    def column_name(self, index: int) -> str:
        """A column's header cell, or the row labels' header when the cell is blank (a first
        column of totals often has none: "Demands received by: | | Acceleration factors")."""
        return self.header[index].strip() if self.header[index].strip() else self.header[0].strip(" :")

    def numbers(self, index: int) -> list[tuple[str, float, str]]:
        """(label, value, line) of each data row with a number in the column; totals left out."""
        found = []
        for cells, line in self.rows:
            label = cells[0].strip()
            if index < len(cells) and (value := as_number(cells[index])) is not None and not _is_total(label):
                found.append((label, value, line))
        return found


@dataclass(frozen=True)
class TableAsk:
    operation: str  # "max", "min", "equal" or "sum"
    value: float | None = None  # for "equal"
    excluded: str = ""  # folded words after "apart from…"


def read_ask(question: str, language: str) -> TableAsk | None:
    """The computation a question asks of a table, if any."""
    patterns = _OPERATIONS.get(language, _OPERATIONS["en"])
    folded = fold(question)
    excluded = ""
    if match := re.search(patterns["exclude"], folded):
        excluded = match.group("x")
    if match := re.search(patterns["equal"], folded):
        word = match.group("n")
        value = 1 if word is None else _NUMBER_WORDS.get(word) or as_number(word)
        if value is not None:
            return TableAsk("equal", float(value), excluded)
    for operation in ("max", "min", "sum"):
        if re.search(patterns[operation], folded):
            return TableAsk(operation, None, excluded)
    return None


def parse_table(text: str) -> Table | None:
    """Header (the first line with cells) and the data rows below it; None if it has no rows."""
    lines = [line for line in text.splitlines() if line.strip()]
    start = next((i for i, line in enumerate(lines) if "\t" in line), None)
    if start is None:
        return None
    header = lines[start].split("\t")
    rows = [
        (line.split("\t"), line)
        for line in lines[start + 1 :]
        if "\t" in line and line.split("\t")[0].strip()
    ]
    return Table(header, rows) if rows else None


def as_number(cell: str) -> float | None:
    text = cell.strip().rstrip("%").strip()
    if not text or not _NUMBER.match(cell.strip()):
        return None
    text = text.replace(",", "") if _THOUSANDS.match(text) else text.replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return None


def computed_answer(
    question: str,
    language: str,
    passages: list[Passage],
    score_columns: ColumnScorer,
    min_score: float,
    max_tables: int = 3,
) -> list[DraftSentence]:
    """The computed answer with the rows it used, cited; nothing when the question asks for no
    computation, or no numeric column of the best table passages is close enough to it."""
    ask = read_ask(question, language)
    if ask is None:
        return []
    candidates: list[tuple[float, int, str, list[tuple[str, float, str]]]] = []
    for number, passage in enumerate(passages[:max_tables], start=1):
        table = parse_table(passage.text) if passage.chunk.kind == "table" else None
        if table is None:
            continue
        numeric = {i: table.numbers(i) for i in range(1, len(table.header))}
        columns = [i for i, rows in numeric.items() if len(rows) >= max(2, len(table.rows) // 2)]
        if not columns:
            continue
        names = [table.column_name(i) for i in columns]
        scores = score_columns(names)
        best = max(range(len(columns)), key=lambda i: scores[i])
        candidates.append((scores[best], number, names[best], numeric[columns[best]]))
    if not candidates:
        return []
    score, number, column, numbers = max(candidates, key=lambda c: c[0])
    if score < min_score:
        return []
    rows = [row for row in numbers if not ask.excluded or fold(row[0]) not in ask.excluded]
    return _sentences(ask, language, column, rows, number, passages[number - 1])


def _sentences(
    ask: TableAsk,
    language: str,
    column: str,
    rows: list[tuple[str, float, str]],
    number: int,
    passage: Passage,
) -> list[DraftSentence]:
    if not rows:
        return []
    words = _TEMPLATES.get(language, _TEMPLATES["en"])
    if ask.operation == "sum":
        total = sum(value for _, value, _ in rows)
        text = words["sum"].format(column=column, value=f"**{_shown(total)}**", count=len(rows))
        return [DraftSentence(text, (number,), rows[0][2])]
    if len({value for _, value, _ in rows}) < 2:
        return []  # a column of one value (ticks counted as 1) ranks nothing
    if ask.operation == "equal":
        used = [row for row in rows if row[1] == ask.value]
    else:
        target = (max if ask.operation == "max" else min)(value for _, value, _ in rows)
        used = [row for row in rows if row[1] == target]
    if not used or (ask.operation != "equal" and len(used) > max(1, len(rows) // 2)):
        return []  # most rows share the extreme value: the column does not single any out
    value = _shown(used[0][1])
    labels = "**" + ", ".join(label for label, _, _ in used) + "**"  # what was asked for, in bold
    left_out = ""
    if ask.excluded:
        left_out = words["excluded"].format(names=ask.excluded.strip())
    text = words[ask.operation].format(labels=labels, value=value, column=column, excluded=left_out)
    shown_rows = {unit.quote: unit.text for unit in units(passage.text, "table")}
    first, *others = used[:5]
    drafts = [DraftSentence(text, (number,), first[2])]
    drafts += [DraftSentence(shown_rows.get(line, line), (number,), line) for _, _, line in others]
    return drafts


def _is_total(label: str) -> bool:
    return bool(_TOTAL.match(fold(label)))


def _shown(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:g}"
