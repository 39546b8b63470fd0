"""Scanned versions: each page of a PDF rasterised in greyscale, tilted a little, speckled with
noise, and wrapped again as an image-only PDF with no text layer, as a photocopier's scan is."""

from __future__ import annotations

import random
from pathlib import Path

DPI = 150


def scan(source: Path, out: Path, seed: int = 7) -> Path:
    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image

    rng = random.Random(seed)
    noise = np.random.default_rng(seed)
    document = pdfium.PdfDocument(str(source))
    pages: list[Image.Image] = []
    try:
        for page in document:
            image = page.render(scale=DPI / 72, grayscale=True).to_pil().convert("L")
            tilted = image.rotate(rng.uniform(-1.2, 1.2), resample=Image.Resampling.BICUBIC, fillcolor=255)
            pixels = np.asarray(tilted, dtype=np.int16)
            pixels = pixels + noise.normal(0, 12, pixels.shape).astype(np.int16)
            specks = noise.random(pixels.shape) < 0.002
            pixels[specks] = 0
            pages.append(Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), mode="L"))
    finally:
        document.close()
    pages[0].save(out, "PDF", resolution=DPI, save_all=True, append_images=pages[1:])
    return out
