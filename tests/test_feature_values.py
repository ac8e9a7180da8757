"""Feature values stay exactly those the bundled models were trained on.

``data/features-v9-samples.npz`` holds the matrices of the repository's sample pages computed with
feature version 9, the version that counts CJK characters as words (the matrices of the English
pages are those that version 8 saved from commit ``6dda884``, before the columns were computed
faster; the Chinese text dump was added with version 9). A change that moves any value needs a new
feature version and retrained models.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from linesift._input import load_lines
from linesift.features import FEATURE_VERSION, featurize

ROOT = Path(__file__).parent.parent
SAVED = np.load(Path(__file__).parent / "data" / "features-v9-samples.npz")


def test_saved_values_are_of_this_feature_version():
    assert FEATURE_VERSION == 9, "feature version changed: save the sample matrices again"


@pytest.mark.parametrize("name", sorted(SAVED.files))
def test_sample_page_features_are_unchanged(name):
    path = ROOT / name
    lines = load_lines(path.read_bytes(), mode="html" if path.suffix == ".html" else "text")
    assert np.array_equal(featurize(lines).matrix, SAVED[name])
