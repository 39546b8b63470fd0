"""The chat widget end to end: Debian's Chromium, driven by Playwright, on a host page served from
another origin than the real API, which answers from the product's sample corpus.

Screenshots land in `tests/screenshots/` (ignored by git)."""

from __future__ import annotations

import json
import os
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, expect, sync_playwright

from assistant.answering.openai_chat import OpenAIChatWriter
from assistant.api.app import create_app
from assistant.api.sse import event
from assistant.settings import AnswerSettings, OpenAISettings
from assistant.wiring import Assistant
from tests.assistant.test_openai_writer import PROMPTS, ChatServer
from tests.net import serve, serve_pages

pytestmark = pytest.mark.slow

CHROMIUM = Path(os.environ.get("SSC_CHROMIUM", "/usr/bin/chromium"))
SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots"

ANSWERABLE = "How is SEGIB's South-South cooperation programme funded?"
UNANSWERABLE = "How much did the Antarctic Penguin Research Fund give to Bolivia in 2019?"

# A site that styles everything with a heavy hand: none of it may reach into the widget.
HOSTILE_CSS = """
* { all: unset !important; }
html, body { font: 40px/3 serif !important; color: #f0f !important; }
button, textarea, ol, li, p, section, a { display: none; background: red; color: yellow; font-size: 50px; }
"""


# An ordinary ministry page, for the README's pictures.
ORDINARY_CSS = """
body { margin: 0; font: 16px/1.5 "DejaVu Sans", sans-serif; color: #222; background: #f7f7f5; }
h1 { margin: 0; padding: 24px 32px; background: #123a5c; color: #fff; font-size: 26px; }
p { margin: 24px 32px; max-width: 640px; }
#host-button { margin: 0 32px; padding: 8px 14px; }
"""

RATE_LIMITED = {
    "Retry-After": "17",
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "Retry-After",
}


def host_page(api: str, lang: str | None = None, css: str = HOSTILE_CSS) -> str:
    lang_attribute = f' data-lang="{lang}"' if lang else ""
    return f"""<!doctype html><html><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Ministry</title>
<style>{css}</style></head><body><h1>Ministry of Foreign Affairs</h1><p>Cooperation directorate</p>
<button id="host-button">A button of the host page</button>
<script src="{api}/widget.js" data-api-key="pk_test"{lang_attribute} async></script></body></html>"""


@pytest.fixture(scope="module")
def api(sample: Assistant) -> Iterator[str]:
    # "localhost" for the API and 127.0.0.1 for the host page: two origins, as on the web.
    with serve(create_app(sample.settings, sample)) as url:
        yield url.replace("127.0.0.1", "localhost")


@pytest.fixture(scope="module")
def site(api: str) -> Iterator[str]:
    pages = {
        "/": host_page(api),
        "/es": host_page(api, "es"),
        "/plain": host_page(api, css="body { margin: 0 }"),
        "/ministry": host_page(api, css=ORDINARY_CSS),
    }
    with serve_pages(pages) as url:
        yield url


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    assert CHROMIUM.exists(), f"no Chromium at {CHROMIUM}: `apt-get install chromium` (or set SSC_CHROMIUM)"
    launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
    yield launched
    launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-US")
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    yield opened
    context.close()
    assert not errors, f"the widget threw: {errors}"


def open_widget(page: Page, url: str, name: str = "Ask the cooperation assistant") -> None:
    page.goto(url)
    page.get_by_role("button", name=name).click()
    expect(page.get_by_role("dialog")).to_be_visible()


def ask(page: Page, question: str) -> None:
    box = page.get_by_role("textbox", name="Your question")
    box.fill(question)
    box.press("Enter")


def shoot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name))


def test_streamed_answer_with_citations_follow_up_and_feedback(
    page: Page, site: str, sample: Assistant
) -> None:
    open_widget(page, site + "/")
    with page.expect_response(lambda r: r.url.endswith("/v1/ask")) as first:
        ask(page, ANSWERABLE)
    assert first.value.headers["content-type"].startswith("text/event-stream")
    answer = page.locator(".message.assistant").last
    expect(answer.locator(".sources li").first).to_be_visible(timeout=30_000)
    expect(answer.locator("a.marker").first).to_have_text("[1]")
    source = answer.locator(".sources li").first
    expect(source).to_contain_text("p. ")
    expect(source.locator("blockquote")).not_to_be_empty()
    # Entities the answer names are marked, with their type.
    entity = answer.locator(".entity").first
    expect(entity).to_be_visible()
    expect(entity).to_have_attribute("title", re.compile(r"^(agency|fund|agreement|programme|country): "))
    shoot(page, "widget-desktop.png")

    # The citation opens the source viewer on its page, with the quote highlighted.
    quote = source.locator("blockquote").inner_text()
    with page.context.expect_page() as viewer_opened:
        answer.locator("a.marker").first.click()
    viewer = viewer_opened.value
    viewer.wait_for_load_state()
    assert "/sources/" in viewer.url
    mark = viewer.locator("mark#quote")
    expect(mark).to_be_visible()
    assert " ".join(mark.inner_text().split())[:60] == " ".join(quote.split())[:60]
    expect(viewer.get_by_role("navigation", name="Pages")).to_contain_text("Page ")
    viewer.screenshot(path=str(SCREENSHOTS / "source-viewer.png"))
    viewer.close()

    # A follow-up is sent in the same conversation.
    with page.expect_request(lambda r: r.url.endswith("/v1/ask")) as follow_up:
        ask(page, "And which other contributions does it receive?")
    sent = json.loads(follow_up.value.post_data or "{}")
    done = first.value.text().rsplit("event: done\ndata: ", 1)[1].split("\n")[0]
    assert sent["conversation_id"] == json.loads(done)["conversation_id"]
    expect(page.locator(".message.assistant").nth(1).locator(".feedback")).to_be_visible(timeout=30_000)

    # 👍 with a comment reaches the server, stored with the question and its citations.
    rated = page.locator(".message.assistant").first
    with page.expect_response(lambda r: r.url.endswith("/v1/feedback")) as stored:
        rated.get_by_role("button", name="Helpful", exact=True).click()
    assert stored.value.status == 201
    rated.get_by_role("textbox", name="Add a comment (optional)").fill("Clear and well sourced")
    with page.expect_response(lambda r: r.url.endswith("/v1/feedback")):
        rated.get_by_role("button", name="Send comment").click()
    expect(rated.get_by_role("status")).to_have_text("Thank you for your feedback.")
    exported = list(sample.feedback.export())
    mine = [row for row in exported if row["question"] == ANSWERABLE]
    assert mine and mine[-1]["rating"] == 1 and mine[-1]["comment"] == "Clear and well sourced"
    assert mine[-1]["citations"] and mine[-1]["channel"] == "api"


@pytest.mark.parametrize(("width", "height", "name"), [(1280, 800, "desktop"), (390, 780, "phone")])
def test_a_cited_answer_on_an_ordinary_page(
    browser: Browser, site: str, width: int, height: int, name: str
) -> None:
    """The README's pictures: a real answer from the sample corpus, on a plain host page."""
    context = browser.new_context(viewport={"width": width, "height": height}, locale="en-US")
    page = context.new_page()
    try:
        open_widget(page, site + "/ministry")
        ask(page, ANSWERABLE)
        answer = page.locator(".message.assistant").last
        expect(answer.locator(".sources li").first).to_be_visible(timeout=30_000)
        expect(answer.locator("a.marker").first).to_have_text("[1]")
        assert_widget_fits(page, width)
        shoot(page, f"readme-{name}.png")
    finally:
        context.close()


def test_the_value_a_count_question_asks_for_is_in_bold(page: Page, site: str) -> None:
    open_widget(page, site + "/")
    ask(page, "How many demands for cooperation were presented at the roundtable?")
    answer = page.locator(".message.assistant").last
    expect(answer.locator(".sources li").first).to_be_visible(timeout=30_000)
    expect(answer.locator("strong.asked")).to_have_text("109")
    assert "**" not in answer.inner_text()


def test_a_written_answer_shows_writing_then_leads_the_quotes(
    page: Page, site: str, sample: Assistant
) -> None:
    """With a language model (here a loopback chat server, held after its first sentence), the
    quoted answer appears, then "Writing a short answer…", then the written sentences lead."""
    chat = ChatServer()
    chat.reply = (
        "SEGIB's South-South cooperation programme is funded by participant country contributions [1]. "
        "The Spain-SEGIB Fund contributes to the budget of the Annual Report [2]."
    )
    chat.hold_after_first_sentence = threading.Event()
    with serve(chat.app) as url:
        options = AnswerSettings(
            generator="openai", prompts_dir=PROMPTS, openai=OpenAISettings(base_url=f"{url}/v1", model="m")
        )
        sample.responder.writer = OpenAIChatWriter(options)
        try:
            open_widget(page, site + "/")
            ask(page, ANSWERABLE)
            answer = page.locator(".message.assistant").last
            expect(answer.get_by_role("status")).to_have_text("Writing a short answer…", timeout=30_000)
            expect(answer.locator(".text")).to_contain_text("one percent of the SEGIB cooperation")
            expect(answer.locator(".text")).to_contain_text("is funded by participant country contributions")
            chat.hold_after_first_sentence.set()
            expect(answer.locator(".sources li").first).to_be_visible(timeout=30_000)
            expect(answer.locator(".writing")).to_have_count(0)
            text = answer.locator(".text").inner_text()
            assert re.sub(r"^\S+:\s*", "", text).startswith(
                "SEGIB's South-South cooperation programme is funded"
            )
            assert text.index("is funded by participant country") < text.index("one percent of the SEGIB")
        finally:
            sample.responder.writer = None
            chat.hold_after_first_sentence.set()


def test_unanswerable_question_shows_the_not_in_corpus_state(page: Page, site: str) -> None:
    open_widget(page, site + "/")
    ask(page, UNANSWERABLE)
    reply = page.locator(".message.assistant").last
    expect(reply).to_have_class("message assistant abstained", timeout=30_000)
    expect(reply.locator(".badge")).to_have_text("Not in the corpus")
    assert reply.locator(".sources").count() == 0
    # It looks different from an answer: another background.
    colour = reply.evaluate("node => getComputedStyle(node).backgroundColor")
    assert colour != "rgb(243, 244, 246)"


def test_host_page_css_does_not_break_the_widget(page: Page, site: str) -> None:
    page.goto(site + "/")
    launcher = page.get_by_role("button", name="Ask the cooperation assistant")
    expect(launcher).to_be_visible()
    box = launcher.bounding_box()
    assert box and box["width"] == 56 and box["height"] == 56  # its own size, not the host's 50px font
    launcher.click()
    panel = page.get_by_role("dialog").bounding_box()
    assert panel and 380 <= panel["width"] <= 400 and panel["height"] > 400
    font = page.get_by_role("textbox", name="Your question").evaluate("n => getComputedStyle(n).fontSize")
    assert font == "15px"
    # Nor does the widget's CSS reach the page: the host's own button keeps the host's rules.
    assert page.locator("#host-button").evaluate("n => getComputedStyle(n).fontSize") == "40px"


def test_keyboard_only(page: Page, site: str) -> None:
    page.goto(site + "/plain")
    launcher = page.get_by_role("button", name="Ask the cooperation assistant")
    page.keyboard.press("Tab")  # the host page's own button
    page.keyboard.press("Tab")
    expect(launcher).to_be_focused()
    page.keyboard.press("Enter")
    box = page.get_by_role("textbox", name="Your question")
    expect(box).to_be_focused()
    page.keyboard.type(ANSWERABLE)
    page.keyboard.press("Shift+Enter")  # a new line, not a send
    assert box.input_value().endswith("\n")
    page.keyboard.press("Enter")
    expect(page.locator(".message.assistant .sources").first).to_be_visible(timeout=30_000)
    # Focus is trapped: however far one tabs, it stays in the panel.
    dialog = page.get_by_role("dialog")
    for _ in range(25):
        page.keyboard.press("Tab")
        assert dialog.evaluate("d => d.contains(d.getRootNode().activeElement)")
    for _ in range(5):
        page.keyboard.press("Shift+Tab")
        assert dialog.evaluate("d => d.contains(d.getRootNode().activeElement)")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(launcher).to_be_focused()


def test_spanish_interface_at_360_px(browser: Browser, site: str) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="en-US")
    page = context.new_page()
    try:
        open_widget(page, site + "/es", name="Preguntar al asistente de cooperación")
        expect(page.get_by_role("heading", name="Asistente de cooperación")).to_be_visible()
        box = page.get_by_role("textbox", name="Su pregunta")
        expect(box).to_have_attribute("placeholder", "Escriba su pregunta…")
        box.fill("¿Cómo se financia el programa de cooperación Sur-Sur de la SEGIB?")
        box.press("Enter")
        expect(page.locator(".message.assistant .feedback")).to_be_visible(timeout=30_000)
        expect(page.get_by_role("button", name="Útil", exact=True)).to_be_visible()
        assert_widget_fits(page, 360)
        shoot(page, "widget-360.png")
    finally:
        context.close()


# What breaks a narrow layout: an unbroken URL, a quote of long words, a table row of many cells.
LONG_URL = "https://cooperation.example.org/reports/2015/south-south/annex-3.pdf"
WIDE_ROW = "\t".join(
    ["Demand for cooperation expressed by", "Brazil", "18", "17", "Bilateral/Triangular"] * 3
)
WIDE_ANSWER = {
    "answer": f"See {LONG_URL} [1]. The table reads: {WIDE_ROW} [2].",
    "abstained": False,
    "citations": [
        {
            "marker": 1,
            "document_id": "d1",
            "title": "Mapping multilateral support to South-South cooperation in Latin America",
            "page": 12,
            "section": "Annex 3. Multilateral funds and trust funds supporting triangular cooperation",
            "quote": "Intergovernmentalcooperationmechanismsforknowledgeexchange " * 4,
            "chunk_id": "c1",
            "url": "/v1/documents/d1/source?chunk=c1",
        },
        {
            "marker": 2,
            "document_id": "d2",
            "title": "Final report",
            "page": 3,
            "section": "Table 1",
            "quote": WIDE_ROW,
            "chunk_id": "c2",
            "url": LONG_URL,
        },
    ],
    "entities": [],
    "closest_documents": [],
    "answer_id": "a1",
    "conversation_id": "conv1",
}


def assert_widget_fits(page: Page, width: int) -> None:
    """The widget's own boxes stay inside the viewport, and nothing in its shadow root is wider than
    the box it sits in. The host page's text is the host's business and is not measured."""
    problems = page.evaluate(
        """(width) => {
          const root = document.getElementById("ssc-assistant-widget").shadowRoot;
          const problems = [];
          for (const node of root.querySelectorAll("*")) {
            const style = getComputedStyle(node);
            if (style.display === "none" || node.classList.contains("sr-only")) continue;
            const box = node.getBoundingClientRect();
            if (box.width === 0) continue;
            const name = node.className || node.tagName;
            if (box.left < -0.5 || box.right > width + 0.5) {
              problems.push(`${name} at ${box.left}..${box.right}`);
            }
            if (node.scrollWidth > node.clientWidth + 1) {
              problems.push(`${name}: ${node.scrollWidth} > ${node.clientWidth}`);
            }
          }
          return problems;
        }""",
        width,
    )
    assert problems == []


@pytest.mark.parametrize("width", [320, 360])
def test_long_urls_quotes_and_table_rows_wrap_at_phone_width(browser: Browser, site: str, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 700}, locale="en-US")
    page = context.new_page()
    body = event("answer", {"delta": WIDE_ANSWER["answer"]}) + event("done", WIDE_ANSWER)
    page.route(
        "**/v1/ask",
        lambda route: route.fulfill(
            status=200,
            headers={"Access-Control-Allow-Origin": "*"},
            content_type="text/event-stream",
            body=body,
        ),
    )
    try:
        page.goto(site + "/")
        launcher = page.get_by_role("button", name="Ask the cooperation assistant")
        box = launcher.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width
        launcher.click()
        ask(page, "Which funds?")
        expect(page.locator(".message.assistant .sources li")).to_have_count(2)
        panel = page.get_by_role("dialog").bounding_box()
        assert panel and panel["x"] >= 0 and panel["x"] + panel["width"] <= width
        assert_widget_fits(page, width)
        shoot(page, f"widget-wide-content-{width}.png")
    finally:
        context.close()


def test_errors_offer_a_retry(page: Page, site: str) -> None:
    open_widget(page, site + "/")
    page.route("**/v1/ask", lambda route: route.abort("internetdisconnected"))
    ask(page, ANSWERABLE)
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("cannot be reached")
    page.unroute("**/v1/ask")
    page.get_by_role("button", name="Retry").click()
    expect(page.locator(".message.assistant .sources").first).to_be_visible(timeout=30_000)

    page.route(
        "**/v1/ask",
        lambda route: route.fulfill(status=429, headers=RATE_LIMITED, json={"detail": "slow down"}),
    )
    ask(page, ANSWERABLE)
    expect(page.get_by_role("alert")).to_contain_text("17 seconds")
