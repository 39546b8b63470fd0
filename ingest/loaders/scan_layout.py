"""A scanned page made ready for OCR: straightened, and its ruled tables found and their ruling
lines taken out.

Tesseract reads a table's ruling lines as letters ("Bahamas Lee ee een tae") and loses which cell
a word stood in. A scanner tilts the page by a degree or so, which bends every horizontal rule
across several pixel rows. So the page is turned upright first (the angle whose rows of ink are
sharpest), then the long straight runs of ink, rules and not letters, are found and whitened, and
where vertical and horizontal rules meet they give the table's rows and columns. Plain numpy and
Pillow: no image-processing library is needed for straight lines."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image

_INK = 150  # grey level below which a pixel is ink
_ANGLES = np.arange(-2.0, 2.01, 0.5)  # degrees tried when straightening, then 0.1 apart near the best
_SEARCH_WIDTH = 600  # pixels: the page is straightened on a copy this wide
# Of the page's width: a horizontal run of ink this long is a rule, well beyond a long word or an
# underlined link (a table narrower than a quarter of the page keeps its rules).
_RULE_SHARE = 0.25
_RULE_HEIGHT = 0.035  # of the page's height: a vertical run this long is a rule, not a letter
_MIN_ROWS = 2
_BREAK = 12  # pixels: a longer gap in a rule ends it


@dataclass(frozen=True)
class Grid:
    """A ruled table on the page: its row boundaries (y, top to bottom) and its vertical rules,
    each with the y range it covers (a cell spanning two columns lacks the rule between them)."""

    rows: tuple[float, ...]
    columns: tuple[tuple[float, float, float], ...]  # (x, top, bottom)

    @property
    def box(self) -> tuple[float, float, float, float]:
        return (self.columns[0][0], self.rows[0], self.columns[-1][0], self.rows[-1])

    def cell(self, x: float, y: float) -> tuple[int, int] | None:
        """(row, column) of the cell holding the point, the column being the first of a span."""
        left, top, right, bottom = self.box
        if not (left < x < right and top < y < bottom):
            return None
        row = next(i for i in range(len(self.rows) - 1) if y < self.rows[i + 1])
        middle = (self.rows[row] + self.rows[row + 1]) / 2
        column = 0
        for index, (rule, start, end) in enumerate(self.columns[1:-1], start=1):
            if rule < x and start <= middle <= end:
                column = index
        return row, column


def prepare(image: Image.Image) -> tuple[Image.Image, Image.Image, list[Grid]]:
    """The greyscale page upright, the same with its rules whitened, and its ruled tables. (Read
    whole, the page with its rules whitened lost words between two tables, "As a result of the
    negotiation round" coming out as "As a pout of the aeaotation round": the tables are read
    from it, the text from the page as it is.)"""
    page = _upright(image)
    ink = np.asarray(page) < _INK
    height, width = ink.shape
    across = _runs(ink, int(_RULE_SHARE * width), axis=1)
    down = _runs(ink, int(_RULE_HEIGHT * height), axis=0)
    grids = _grids(across, down)
    if not grids:  # the unruled page is only read for its tables
        return page, page, grids
    clean = np.asarray(page).copy()
    clean[_grown(across | down)] = 255
    return page, Image.fromarray(clean), grids


def binarised(image: Image.Image) -> Image.Image:
    """Black ink on white, speckle filtered: what Tesseract reads a table's lone digits from (in
    grey, a speckled cell reads as "ees" or loses its digit)."""
    from PIL import ImageFilter

    return image.point(lambda v: 0 if v < _INK else 255).filter(ImageFilter.MedianFilter(3))


def _upright(image: Image.Image) -> Image.Image:
    """The page turned by the angle at which its rows of ink are sharpest (text lines and rules
    fall into few pixel rows)."""
    small = image.resize((_SEARCH_WIDTH, max(1, image.height * _SEARCH_WIDTH // image.width)))

    def sharpness(angle: float) -> float:
        turned = np.asarray(small.rotate(angle, resample=Image.Resampling.BILINEAR, fillcolor=255)) < _INK
        profile = turned.sum(axis=1).astype(np.float64)
        return float(np.square(np.diff(profile)).sum())

    coarse = max(_ANGLES, key=sharpness)  # the peak is about a degree wide: half-degree steps find it
    best = max(np.arange(coarse - 0.4, coarse + 0.41, 0.1), key=sharpness)
    if abs(best) < 0.05:
        return image
    return image.rotate(float(best), resample=Image.Resampling.BICUBIC, fillcolor=255)


def _runs(ink: np.ndarray, length: int, axis: int) -> np.ndarray:
    """The ink pixels lying on a straight run of at least `length` along `axis` (a morphological
    opening by a line), tolerating a pixel of drift: each pixel row is merged with its
    neighbours across the run first."""
    if length < 2:
        return np.zeros_like(ink)
    other = 1 - axis
    thick = ink | np.roll(ink, 1, axis=other) | np.roll(ink, -1, axis=other)
    starts = _window_full(thick, length, axis)
    return _spread(starts, length, axis) & ink


def _window_full(mask: np.ndarray, length: int, axis: int) -> np.ndarray:
    """True at i where mask[i : i + length] along `axis` is all True."""
    total = np.cumsum(mask, axis=axis, dtype=np.int32)
    total = np.concatenate([np.zeros_like(np.take(total, [0], axis=axis)), total], axis=axis)
    size = mask.shape[axis]
    full = np.zeros_like(mask)
    if size < length:
        return full
    ahead = np.take(total, np.arange(length, size + 1), axis=axis)
    here = np.take(total, np.arange(0, size - length + 1), axis=axis)
    index = [slice(None)] * mask.ndim
    index[axis] = slice(0, size - length + 1)
    full[tuple(index)] = (ahead - here) == length
    return full


def _spread(starts: np.ndarray, length: int, axis: int) -> np.ndarray:
    """True at every pixel covered by a run of `length` beginning at a True of `starts`."""
    total = np.cumsum(starts, axis=axis, dtype=np.int32)
    shifted = np.roll(total, length, axis=axis)
    index = [slice(None)] * starts.ndim
    index[axis] = slice(0, length)
    shifted[tuple(index)] = 0
    return (total - shifted) > 0


def _grown(mask: np.ndarray) -> np.ndarray:
    """The mask grown by a pixel each way, so that a rule's anti-aliased edge goes with it."""
    grown = mask.copy()
    for axis in (0, 1):
        grown |= np.roll(mask, 1, axis=axis) | np.roll(mask, -1, axis=axis)
    return grown


def _lines(mask: np.ndarray, axis: int, minimum: int) -> list[tuple[float, int, int]]:
    """Rules along `axis` as (position across it, start, end), neighbouring pixel lines merged."""
    counts = mask.sum(axis=axis)
    found: list[tuple[float, int, int]] = []
    position = 0
    while position < len(counts):
        if counts[position] < minimum:
            position += 1
            continue
        end = position
        while end + 1 < len(counts) and counts[end + 1] >= minimum:
            end += 1
        band = mask[:, position : end + 1] if axis == 0 else mask[position : end + 1, :]
        along = np.flatnonzero(band.any(axis=1 - axis))
        # Two tables ruled on the same edges, one above the other: one rule position, two rules.
        for piece in np.split(along, np.flatnonzero(np.diff(along) > _BREAK) + 1):
            if len(piece) and piece[-1] - piece[0] >= minimum:
                found.append(((position + end) / 2, int(piece[0]), int(piece[-1])))
        position = end + 1
    return found


def _grids(across: np.ndarray, down: np.ndarray) -> list[Grid]:
    """Tables where vertical rules stand between horizontal ones: vertical rules whose spans
    overlap make one table, and the horizontal rules within its span are its row boundaries."""
    height, width = across.shape
    horizontal = _lines(across, axis=1, minimum=int(_RULE_SHARE * width))
    vertical = _lines(down, axis=0, minimum=int(_RULE_HEIGHT * height))
    groups: list[list[tuple[float, int, int]]] = []
    for rule in sorted(vertical, key=lambda v: v[1]):
        if groups and rule[1] <= max(v[2] for v in groups[-1]):
            groups[-1].append(rule)
        else:
            groups.append([rule])
    grids = []
    for group in groups:
        top, bottom = min(v[1] for v in group), max(v[2] for v in group)
        left, right = min(v[0] for v in group), max(v[0] for v in group)
        slack = 0.01 * height
        rows = sorted(
            y
            for y, start, end in horizontal
            if top - slack <= y <= bottom + slack and start <= left + slack and end >= right - slack
        )
        columns = tuple(sorted((x, float(start), float(end)) for x, start, end in group))
        if len(rows) >= _MIN_ROWS + 1 and len(columns) >= 2:
            grids.append(Grid(tuple(rows), columns))
    return grids
