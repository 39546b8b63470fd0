"""An answer as Slack messages: Block Kit within Slack's limits, and mrkdwn escaped so that document
text can never ping a channel or break a link."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from assistant.answering.emphasis import plain
from assistant.answering.models import Answer
from assistant.api.schemas import source_url

# Slack's limits: 3,000 characters in a section's text, 50 blocks in a message.
SECTION_CHARS = 3000
MESSAGE_BLOCKS = 50
QUOTE_CHARS = 200
FEEDBACK_UP = "feedback_up"
FEEDBACK_DOWN = "feedback_down"

LABELS = {
    "en": {
        "sources": "Sources",
        "not_found": "Not in the corpus",
        "closest": "Closest documents",
        "named": "Named",
        "helpful": "Helpful",
        "unhelpful": "Not helpful",
        "page": "p.",
        "thanks": "Thank you for your feedback.",
        "working": "Searching the documents…",
        "writing": "Writing a short answer…",
        "failed": "Sorry, something went wrong while answering. Please try again in a moment.",
        "empty": "Ask me a question about the documents, for example: which funds finance "
        "triangular cooperation in the Caribbean?",
    },
    "es": {
        "sources": "Fuentes",
        "not_found": "No está en el corpus",
        "closest": "Documentos más cercanos",
        "named": "Menciona",
        "helpful": "Útil",
        "unhelpful": "No útil",
        "page": "pág.",
        "thanks": "Gracias por su opinión.",
        "working": "Buscando en los documentos…",
        "writing": "Redactando una respuesta breve…",
        "failed": "Lo siento, algo salió mal al responder. Inténtelo de nuevo en un momento.",
        "empty": "Hágame una pregunta sobre los documentos, por ejemplo: ¿qué fondos financian la "
        "cooperación triangular en el Caribe?",
    },
    "pt": {
        "sources": "Fontes",
        "not_found": "Não está no corpus",
        "closest": "Documentos mais próximos",
        "named": "Menciona",
        "helpful": "Útil",
        "unhelpful": "Não útil",
        "page": "p.",
        "thanks": "Obrigado pela sua avaliação.",
        "working": "Pesquisando nos documentos…",
        "writing": "Escrevendo uma resposta curta…",
        "failed": "Desculpe, algo deu errado ao responder. Tente novamente em instantes.",
        "empty": "Faça uma pergunta sobre os documentos, por exemplo: quais fundos financiam a "
        "cooperação triangular no Caribe?",
    },
}


@dataclass
class Message:
    """One chat.postMessage: `text` is the notification and screen-reader fallback."""

    text: str
    blocks: list[dict[str, Any]] = field(default_factory=list)


def labels(language: str) -> dict[str, str]:
    return LABELS.get(language, LABELS["en"])


def escape(text: str) -> str:
    """Slack reads `<…>` as links and mentions (`<!channel>`, `<@U1>`) and `&` as entities."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def answer_messages(answer: Answer, answer_id: str | None, base_url: str, language: str) -> list[Message]:
    """The answer, its sources, the entities it names and 👍/👎, split into as many messages as
    Slack's block limit needs (the first one carries the answer's start)."""
    words = labels(language)
    blocks: list[dict[str, Any]] = []
    if answer.abstained:
        blocks.append(_context(f":mag: *{words['not_found']}*"))
    blocks += [_section(part) for part in _parts(_bold(escape(answer.text)), SECTION_CHARS)]
    if answer.abstained and answer.closest_documents:
        closest = ", ".join(escape(title) for title in answer.closest_documents)
        blocks.append(_context(f"{words['closest']}: {closest}"))
    if answer.citations:
        blocks.append(_context(f"*{words['sources']}*"))
    for citation in answer.citations:
        link = base_url + source_url(citation.document_id, citation.page, citation.quote)
        where = f"{words['page']} {citation.page}" + (
            f" · {escape(citation.section)}" if citation.section else ""
        )
        quote = escape(_shorten(citation.quote, QUOTE_CHARS))
        blocks.append(
            _context(f"*[{citation.marker}]* <{link}|{_link_text(citation.title)}> · {where}\n>{quote}")
        )
    if answer.entities:
        named = ", ".join(f"{escape(e.name)} ({e.type})" for e in answer.entities[:20])
        blocks.append(_context(f"{words['named']}: {named}"))
    if answer_id:
        blocks.append(_feedback(answer_id, words))
    fallback = _shorten(escape(plain(answer.text)), SECTION_CHARS)
    return [
        Message(fallback, blocks[start : start + MESSAGE_BLOCKS])
        for start in range(0, len(blocks), MESSAGE_BLOCKS)
    ]


def writing_message(quoted: str, language: str) -> Message:
    """The quoted answer while a language model writes its short answer, with that state."""
    text = _bold(escape(_shorten(quoted, SECTION_CHARS)))
    return Message(
        escape(plain(quoted))[:SECTION_CHARS], [_section(text), _context(f"_{labels(language)['writing']}_")]
    )


def _bold(text: str) -> str:
    """The answer's Markdown bold (`**82**`, the asked value) as Slack's (`*82*`)."""
    return re.sub(r"\*\*([^*\n]+)\*\*", r"*\1*", text)


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": _shorten(text, 2000)}]}


def _feedback(answer_id: str, words: dict[str, str]) -> dict[str, Any]:
    def button(action_id: str, emoji: str, label: str) -> dict[str, Any]:
        text = {"type": "plain_text", "text": f"{emoji} {label}", "emoji": True}
        return {"type": "button", "action_id": action_id, "value": answer_id, "text": text}

    return {
        "type": "actions",
        "block_id": "feedback",
        "elements": [
            button(FEEDBACK_UP, "👍", words["helpful"]),
            button(FEEDBACK_DOWN, "👎", words["unhelpful"]),
        ],
    }


def _link_text(title: str) -> str:
    """A link's label may not hold `|` or `>` (they end it); `<` and `&` are escaped as anywhere."""
    return escape(_shorten(title, 150)).replace("|", "/")


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _parts(text: str, limit: int) -> list[str]:
    """Cut at sentence ends (after a marker or a full stop) so that no part exceeds `limit`."""
    parts: list[str] = []
    current = ""
    for sentence in re.split(r"(?<=[.!?\]])\s+", text):
        while len(sentence) > limit:  # one sentence longer than a section: cut at a space
            cut = sentence.rfind(" ", 0, limit) if " " in sentence[:limit] else limit
            parts.append(sentence[:cut])
            sentence = sentence[cut:].lstrip()
        if current and len(current) + 1 + len(sentence) > limit:
            parts.append(current)
            current = sentence
        else:
            current = f"{current} {sentence}" if current else sentence
    if current:
        parts.append(current)
    return parts
