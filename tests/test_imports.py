"""``import linesift`` stays light: public names are imported on first use."""

from __future__ import annotations

import subprocess
import sys

import linesift


def test_import_does_not_load_scikit_learn():
    code = "import sys, linesift; print('sklearn' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "False"


def test_every_public_name_resolves():
    assert set(linesift.__all__) == set(linesift._MODULE_OF)
    for name in linesift.__all__:
        assert getattr(linesift, name).__name__ == name


def test_unknown_names_raise_attribute_error():
    assert not hasattr(linesift, "no_such_name")
