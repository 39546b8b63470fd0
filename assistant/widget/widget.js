/* ssc-assistant chat widget. Embed with one tag:
 *   <script src="https://HOST/widget.js" data-api-key="PUBLIC_KEY" data-lang="es" async></script>
 * It draws a launcher and a chat panel inside a Shadow DOM, so the host page's CSS cannot reach it
 * and its CSS cannot reach the page. Answers stream from POST /v1/ask as Server-Sent Events.
 * Server text is always inserted as text nodes, never as HTML. */
(() => {
  "use strict";
  const script = document.currentScript;
  if (!script || document.getElementById("ssc-assistant-widget")) return; // embedded twice

  const API = new URL(script.src, location.href).origin;
  const KEY = script.dataset.apiKey || "";

  const TEXT = {
    en: {
      open: "Ask the cooperation assistant", title: "Cooperation assistant", close: "Close",
      restart: "New conversation", placeholder: "Ask a question…", label: "Your question", send: "Send",
      sources: "Sources", page: "p.", notFound: "Not in the corpus", closest: "Closest documents:",
      helpful: "Helpful", unhelpful: "Not helpful", comment: "Add a comment (optional)",
      sendComment: "Send comment", thanks: "Thank you for your feedback.", retry: "Retry",
      offline: "The assistant cannot be reached. Check your connection.",
      limited: "Too many questions for now. Try again in {s} seconds.",
      failed: "Something went wrong on the server.", thinking: "Searching the documents…",
      writing: "Writing a short answer…",
      ready: "Answer ready.", you: "You", assistant: "Assistant", log: "Conversation",
      intro: "Ask about South-South and triangular cooperation. Every answer cites its sources.",
      types: { agency: "agency", fund: "fund", agreement: "agreement", programme: "programme", country: "country" },
    },
    es: {
      open: "Preguntar al asistente de cooperación", title: "Asistente de cooperación", close: "Cerrar",
      restart: "Nueva conversación", placeholder: "Escriba su pregunta…", label: "Su pregunta",
      send: "Enviar", sources: "Fuentes", page: "pág.", notFound: "No está en el corpus",
      closest: "Documentos más cercanos:", helpful: "Útil", unhelpful: "No útil",
      comment: "Añadir un comentario (opcional)", sendComment: "Enviar comentario",
      thanks: "Gracias por su opinión.", retry: "Reintentar",
      offline: "No se puede contactar al asistente. Revise su conexión.",
      limited: "Demasiadas preguntas por ahora. Inténtelo de nuevo en {s} segundos.",
      failed: "Algo salió mal en el servidor.", thinking: "Buscando en los documentos…",
      writing: "Redactando una respuesta breve…",
      ready: "Respuesta lista.", you: "Usted", assistant: "Asistente", log: "Conversación",
      intro: "Pregunte sobre cooperación Sur-Sur y triangular. Cada respuesta cita sus fuentes.",
      types: { agency: "agencia", fund: "fondo", agreement: "acuerdo", programme: "programa", country: "país" },
    },
    pt: {
      open: "Perguntar ao assistente de cooperação", title: "Assistente de cooperação", close: "Fechar",
      restart: "Nova conversa", placeholder: "Escreva sua pergunta…", label: "Sua pergunta",
      send: "Enviar", sources: "Fontes", page: "p.", notFound: "Não está no corpus",
      closest: "Documentos mais próximos:", helpful: "Útil", unhelpful: "Não útil",
      comment: "Adicionar um comentário (opcional)", sendComment: "Enviar comentário",
      thanks: "Obrigado pela sua avaliação.", retry: "Tentar novamente",
      offline: "Não foi possível contatar o assistente. Verifique sua conexão.",
      limited: "Perguntas demais por enquanto. Tente novamente em {s} segundos.",
      failed: "Algo deu errado no servidor.", thinking: "Pesquisando nos documentos…",
      writing: "Escrevendo uma resposta curta…",
      ready: "Resposta pronta.", you: "Você", assistant: "Assistente", log: "Conversa",
      intro: "Pergunte sobre cooperação Sul-Sul e triangular. Cada resposta cita suas fontes.",
      types: { agency: "agência", fund: "fundo", agreement: "acordo", programme: "programa", country: "país" },
    },
  };
  const pick = (wanted) => (wanted || "").toLowerCase().slice(0, 2);
  const LANG = [pick(script.dataset.lang), ...navigator.languages.map(pick), "en"].find((l) => TEXT[l]);
  const T = TEXT[LANG];

  /* A tiny element builder: el("p", {class: "x"}, "text", child) */
  const el = (tag, attributes = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else if (value !== false && value != null) node.setAttribute(name, value === true ? "" : value);
    }
    node.append(...children.filter((c) => c != null));
    return node;
  };

  const host = el("div", {
    id: "ssc-assistant-widget",
    // Inline, so that a host rule such as `* { all: unset }` cannot hide or move the widget.
    style: "all: initial; position: fixed; right: 0; bottom: 0; z-index: 2147483000; display: block;",
  });
  const root = host.attachShadow({ mode: "open" });
  root.append(el("link", { rel: "stylesheet", href: `${API}/widget.css` }));

  const launcher = el("button", {
    class: "launcher", type: "button", "aria-label": T.open, "aria-haspopup": "dialog",
    "aria-expanded": "false", "aria-controls": "panel",
  });
  launcher.innerHTML = // a static icon, no server text
    '<svg viewBox="0 0 24 24" width="28" height="28" aria-hidden="true" focusable="false">' +
    '<path fill="currentColor" d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V6' +
    'a2 2 0 0 1 2-2zm3 6.5a1.5 1.5 0 1 0 0 .01zm5 0a1.5 1.5 0 1 0 0 .01zm5 0a1.5 1.5 0 1 0 0 .01z"/></svg>';

  const log = el("ol", { class: "log", role: "log", "aria-live": "polite", "aria-label": T.log });
  const status = el("p", { class: "sr-only", role: "status", "aria-live": "polite" });
  const input = el("textarea", {
    id: "question", rows: "2", maxlength: "2000", placeholder: T.placeholder, autocomplete: "off",
  });
  const sendButton = el("button", { type: "submit", class: "send" }, T.send);
  const form = el(
    "form", { class: "composer" },
    el("label", { for: "question", class: "sr-only" }, T.label), input, sendButton,
  );
  const restart = el("button", { type: "button", class: "restart" }, T.restart);
  const close = el("button", { type: "button", class: "close", "aria-label": T.close }, "×");
  const panel = el(
    "section",
    { id: "panel", class: "panel", role: "dialog", "aria-modal": "true", "aria-labelledby": "title",
      hidden: true, lang: LANG },
    el("header", {}, el("h2", { id: "title" }, T.title), restart, close),
    el("p", { class: "intro" }, T.intro),
    log, status, form,
  );
  root.append(launcher, panel);

  let conversationId = null;
  let busy = false;
  let returnFocus = null;

  /* ---- opening, closing, focus ---- */
  const open = () => {
    returnFocus = document.activeElement;
    panel.hidden = false;
    launcher.hidden = true;
    launcher.setAttribute("aria-expanded", "true");
    input.focus();
  };
  const shut = () => {
    panel.hidden = true;
    launcher.hidden = false;
    launcher.setAttribute("aria-expanded", "false");
    // Back to where the person was; the launcher when that was the launcher itself (now shown again).
    const target = returnFocus && returnFocus !== host && document.contains(returnFocus) ? returnFocus : launcher;
    target.focus();
  };
  launcher.addEventListener("click", open);
  close.addEventListener("click", shut);
  panel.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      event.preventDefault();
      shut();
    } else if (event.key === "Tab") {
      // Focus stays inside the open panel (aria-modal): wrap from last to first and back.
      const focusable = [...panel.querySelectorAll("a[href], button:not([disabled]), textarea, input")]
        .filter((node) => node.offsetParent !== null);
      const first = focusable[0];
      const last = focusable[focusable.length - 1];
      if (event.shiftKey && root.activeElement === first) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && root.activeElement === last) {
        event.preventDefault();
        first.focus();
      }
    }
  });
  restart.addEventListener("click", () => {
    conversationId = null;
    log.replaceChildren();
    input.focus();
  });

  /* ---- asking ---- */
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const question = input.value.trim();
    if (!question || busy) return;
    input.value = "";
    log.append(el("li", { class: "message user" }, el("span", { class: "sr-only" }, `${T.you}: `), question));
    ask(question);
  });

  const headers = () => {
    const h = { "Content-Type": "application/json", Accept: "text/event-stream" };
    if (KEY) h["X-API-Key"] = KEY;
    return h;
  };

  async function ask(question, item = null) {
    busy = true;
    sendButton.disabled = true;
    const message = item || el("li", { class: "message assistant" });
    message.className = "message assistant";
    const body = el("p", { class: "text" }, el("span", { class: "sr-only" }, `${T.assistant}: `));
    const thinking = el("span", { class: "thinking" }, T.thinking);
    body.append(thinking);
    message.replaceChildren(body);
    if (!item) log.append(message);
    log.setAttribute("aria-busy", "true");
    scrollDown();
    let text = "";
    let written = "";
    // With a language model, the quoted answer comes first, then "writing…" until its short
    // written answer arrives, which then leads.
    let writing = null;
    try {
      const response = await fetch(`${API}/v1/ask`, {
        method: "POST", headers: headers(), body: JSON.stringify({ question, conversation_id: conversationId }),
      });
      if (response.status === 404 && conversationId) {
        conversationId = null; // the server no longer knows this conversation: start a new one
        return await ask(question, message);
      }
      if (!response.ok) {
        const wait = response.headers.get("Retry-After");
        if (response.status === 429) throw new WidgetError(T.limited.replace("{s}", wait || "60"));
        const detail = await response.json().then((b) => b.detail, () => null);
        throw new WidgetError(response.status >= 500 || !detail ? T.failed : String(detail));
      }
      for await (const [name, data] of events(response)) {
        if (name === "answer") {
          thinking.remove();
          text += data.delta;
          renderText(body, text, []);
        } else if (name === "writing") {
          writing = el("p", { class: "thinking writing", role: "status" }, T.writing);
          message.append(writing);
        } else if (name === "written") {
          written += (written ? " " : "") + data.delta;
          renderText(body, `${written} ${text}`, []);
        } else if (name === "done") {
          writing?.remove();
          conversationId = data.conversation_id;
          renderAnswer(message, body, data);
          log.scrollTop = message.offsetTop - log.offsetTop - 8; // the answer's start, not its sources' end
          continue;
        } else if (name === "error") {
          throw new WidgetError(T.failed);
        }
        scrollDown();
      }
      status.textContent = T.ready;
    } catch (error) {
      const words = error instanceof WidgetError ? error.message : T.offline;
      showError(message, words, () => ask(question, message));
      scrollDown();
    } finally {
      busy = false;
      sendButton.disabled = false;
      log.setAttribute("aria-busy", "false");
    }
  }

  class WidgetError extends Error {}

  /* Server-Sent Events from a fetch body (EventSource cannot POST). */
  async function* events(response) {
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value.replace(/\r\n/g, "\n");
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let name = "message";
        const data = [];
        for (const line of block.split("\n")) {
          if (line.startsWith("event:")) name = line.slice(6).trim();
          else if (line.startsWith("data:")) data.push(line.slice(5).trimStart());
        }
        if (data.length) yield [name, JSON.parse(data.join("\n"))];
      }
    }
  }

  /* ---- rendering ---- */
  const sourceUrl = (citation) => new URL(citation.url, API).href;

  function renderText(body, text, citations, entities = []) {
    const label = body.firstChild; // the screen-reader "Assistant:" prefix
    body.replaceChildren(label);
    const byMarker = new Map(citations.map((c) => [c.marker, c]));
    // Entity spans are code-point offsets: slice an array of code points, not UTF-16 units.
    const chars = Array.from(text);
    const spans = entities.flatMap((e) => (e.spans || []).map(([start, end]) => [start, end, e]));
    let at = 0;
    for (const [start, end, entity] of spans.sort((a, b) => a[0] - b[0])) {
      if (start < at) continue;
      appendWithMarkers(body, chars.slice(at, start).join(""), byMarker);
      body.append(el("span", {
        class: "entity", "data-type": entity.type, "data-id": entity.id,
        title: `${T.types[entity.type] || entity.type}: ${entity.name}`,
      }, chars.slice(start, end).join("")));
      at = end;
    }
    appendWithMarkers(body, chars.slice(at).join(""), byMarker);
  }

  function appendWithMarkers(body, text, byMarker) {
    // "**82**": the value the question asked for, in bold.
    for (const piece of text.split(/(\*\*[^*\n]+\*\*)/)) {
      const bold = /^\*\*([^*\n]+)\*\*$/.exec(piece);
      if (bold) body.append(el("strong", { class: "asked" }, bold[1]));
      else appendMarkers(body, piece, byMarker);
    }
  }

  function appendMarkers(body, text, byMarker) {
    for (const part of text.split(/(\[\d+\])/)) {
      const marker = /^\[(\d+)\]$/.exec(part);
      const citation = marker && byMarker.get(Number(marker[1]));
      if (citation) {
        body.append(el("a", {
          class: "marker", href: sourceUrl(citation), target: "_blank", rel: "noopener",
          title: `${citation.title}, ${T.page} ${citation.page}`,
        }, part));
      } else if (part) {
        body.append(part);
      }
    }
  }

  function renderAnswer(message, body, data) {
    if (data.abstained) {
      message.classList.add("abstained");
      message.prepend(el("p", { class: "badge" }, T.notFound));
      renderText(body, data.answer, []);
      if (data.closest_documents.length) {
        message.append(el("p", { class: "closest" }, T.closest),
          el("ul", { class: "closest-list" }, ...data.closest_documents.map((t) => el("li", {}, t))));
      }
    } else {
      renderText(body, data.answer, data.citations, data.entities);
      if (data.citations.length) {
        message.append(el("h3", { class: "sources-title" }, T.sources), el("ol", { class: "sources" },
          ...data.citations.map((c) => el("li", { value: String(c.marker) },
            el("a", { href: sourceUrl(c), target: "_blank", rel: "noopener" }, c.title),
            el("span", { class: "where" }, ` — ${T.page} ${c.page_label || c.page}${c.ocr ? " (OCR)" : ""}${c.section ? ` · ${c.section}` : ""}`),
            el("blockquote", {}, c.quote)))));
      }
    }
    if (data.answer_id) message.append(feedback(data.answer_id));
  }

  function feedback(answerId) {
    const thanks = el("p", { class: "thanks", role: "status" });
    const comment = el("textarea", { rows: "2", maxlength: "2000", "aria-label": T.comment, placeholder: T.comment });
    const sendComment = el("button", { type: "button", class: "secondary" }, T.sendComment);
    const more = el("div", { class: "comment", hidden: true }, comment, sendComment);
    let rating = 0;
    const post = async () => {
      try {
        const h = { "Content-Type": "application/json" };
        if (KEY) h["X-API-Key"] = KEY;
        const response = await fetch(`${API}/v1/feedback`, {
          method: "POST", headers: h,
          body: JSON.stringify({ answer_id: answerId, rating, comment: comment.value.trim() }),
        });
        thanks.textContent = response.ok ? T.thanks : T.failed;
      } catch {
        thanks.textContent = T.offline;
      }
    };
    const button = (value, turn, label) => el("button", {
      type: "button", class: "rate", "aria-label": label, "aria-pressed": "false",
      onclick: (event) => {
        rating = value;
        for (const b of event.currentTarget.parentElement.querySelectorAll(".rate")) {
          b.setAttribute("aria-pressed", String(b === event.currentTarget));
        }
        more.hidden = false;
        post();
      },
    }, thumb(turn));
    sendComment.addEventListener("click", () => { if (rating) post(); });
    return el("div", { class: "feedback" },
      el("div", { class: "rates" }, button(1, 0, T.helpful), button(-1, 180, T.unhelpful)), more, thanks);
  }

  /* A thumb drawn here (emoji fonts are missing on some systems); turned 180° it is thumbs-down. */
  function thumb(turn) {
    const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("width", "18");
    svg.setAttribute("height", "18");
    svg.setAttribute("aria-hidden", "true");
    const path = document.createElementNS("http://www.w3.org/2000/svg", "path");
    path.setAttribute("d", "M2 10h4v11H2zM8 10l4-8c1.7 0 3 1.3 3 3v3h5.5c1.1 0 2 1 1.8 2.1l-1.6 8.2" +
      "c-.2.9-1 1.7-2 1.7H8z");
    path.setAttribute("fill", "currentColor");
    path.setAttribute("transform", `rotate(${turn} 12 12)`);
    svg.append(path);
    return svg;
  }

  function showError(message, words, retry) {
    message.className = "message assistant error";
    message.replaceChildren(
      el("p", { role: "alert" }, words),
      el("button", { type: "button", class: "secondary", onclick: retry }, T.retry),
    );
    status.textContent = words;
  }

  const scrollDown = () => { log.scrollTop = log.scrollHeight; };

  const mount = () => document.body.append(host);
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);
})();
