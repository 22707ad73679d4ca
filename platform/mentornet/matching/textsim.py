"""Text similarity that works in any language: TF-IDF over character n-grams.

Words are split into overlapping 3-grams (with word boundaries), weighted by how rare they
are in the tenant's texts, then projected to a fixed number of dimensions with a seeded
random projection, so that one mentee against 10,000 mentors and 20,000 x 20,000 in a
batch are both a matrix product, and both give the same numbers.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence

import numpy as np
from scipy import sparse

DIMENSIONS = 384
_WORD = re.compile(r"\w+", re.UNICODE)


def _grams(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text).casefold()
    grams: list[str] = []
    for word in _WORD.findall(text):
        padded = f" {word} "
        grams.extend(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


class TextEncoder:
    """Fitted on one tenant's texts; turns texts into unit vectors (zeros when empty)."""

    def __init__(self, corpus: Sequence[str], dimensions: int = DIMENSIONS, seed: int = 7):
        self.dimensions = dimensions
        document_frequency: Counter[str] = Counter()
        for text in corpus:
            document_frequency.update(set(_grams(text)))
        total = max(1, len(corpus))
        self.vocabulary = {gram: i for i, gram in enumerate(sorted(document_frequency))}
        self.idf = np.array(
            [math.log((1 + total) / (1 + document_frequency[g])) + 1 for g in self.vocabulary],
            dtype=np.float64,
        )
        rng = np.random.default_rng(seed)
        # Dense Gaussian projection: preserves inner products in expectation.
        self.projection = rng.standard_normal((len(self.vocabulary), dimensions)).astype(
            np.float32
        ) / np.float32(math.sqrt(dimensions))

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        rows, cols, values = [], [], []
        for row, text in enumerate(texts):
            counts = Counter(g for g in _grams(text) if g in self.vocabulary)
            for gram, count in counts.items():
                column = self.vocabulary[gram]
                rows.append(row)
                cols.append(column)
                values.append((1 + math.log(count)) * self.idf[column])
        matrix = sparse.csr_matrix(
            (np.asarray(values, dtype=np.float32), (rows, cols)),
            shape=(len(texts), max(1, len(self.vocabulary))),
        )
        if not self.vocabulary:
            return np.zeros((len(texts), self.dimensions), dtype=np.float32)
        dense = np.asarray(matrix @ self.projection, dtype=np.float32)
        norms = np.linalg.norm(dense, axis=1, keepdims=True)
        np.divide(dense, norms, out=dense, where=norms > 0)
        return dense
