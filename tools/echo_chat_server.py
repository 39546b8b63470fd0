"""A stand-in OpenAI-compatible chat server for measuring the plumbing of the `openai` generator
on a machine with no language model: it answers with the first sentence of passage [1], cited.

    python tools/echo_chat_server.py --port 8765 &
    SSC_ANSWER__GENERATOR=openai SSC_ANSWER__OPENAI__BASE_URL=http://127.0.0.1:8765/v1 \\
        ssc-assistant eval ../shared/eval/dev.jsonl --answers

Its figures prove that prompts, parsing, the grounding gate and citations work end to end; they
say nothing about the quality of a real model."""

from __future__ import annotations

import argparse
import re
from typing import Any

import uvicorn
from fastapi import FastAPI
from fastapi.responses import StreamingResponse

from assistant.api.openai_compat import completion, completion_chunks

app = FastAPI()


@app.post("/v1/chat/completions", response_model=None)
def complete(body: dict[str, Any]) -> dict[str, Any] | StreamingResponse:
    user = next((m["content"] for m in reversed(body["messages"]) if m["role"] == "user"), "")
    passage = re.search(r"^\[1\] \(.*?\)\n(.+?)(?:\n\n\[2\] |\Z)", user, re.S | re.M)
    first = re.split(r"(?<=[.!?])\s", passage.group(1).strip())[0] if passage else ""
    content = f"{first} [1]" if first else "The passages do not answer the question."
    model = body.get("model", "echo")
    if not body.get("stream"):
        return completion(content, model)
    words = re.findall(r"\S+\s*", content)  # streamed a word at a time, as a model would
    return StreamingResponse(completion_chunks(words, model), media_type="text/event-stream")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8765)
    uvicorn.run(app, host="127.0.0.1", port=parser.parse_args().port, log_level="warning")
