"""Feature values stay exactly those the bundled models were trained on.

``data/features-v11-samples.npz`` holds the matrices of the repository's sample pages computed with
HTML feature version 11, the version that places each line against the main article
(:mod:`linesift.containers`), and text feature version 9. The HTML matrices' other columns are
those of version 10, checked equal when they were saved, which in turn kept version 9's; the
matrices of the English pages go back to those that version 8 saved from commit ``6dda884``, before
the columns were computed faster. A change that moves any value needs a new feature version and
retrained models.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from linesift._input import load_lines
from linesift.features import FEATURE_VERSIONS, featurize

ROOT = Path(__file__).parent.parent
SAVED = np.load(Path(__file__).parent / "data" / "features-v11-samples.npz")


def test_saved_values_are_of_this_feature_version():
    assert FEATURE_VERSIONS == {"html": 11, "text": 9}, "feature version changed: save the sample matrices again"


@pytest.mark.parametrize("name", sorted(SAVED.files))
def test_sample_page_features_are_unchanged(name):
    path = ROOT / name
    lines = load_lines(path.read_bytes(), mode="html" if path.suffix == ".html" else "text")
    assert np.array_equal(featurize(lines).matrix, SAVED[name])
