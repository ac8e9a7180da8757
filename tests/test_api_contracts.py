"""The public entry points check what they are given and say what they expect."""

import math
import os

import pytest

import linesift
from linesift._input import InputError


@pytest.mark.parametrize("threshold", ["0.5", [0.5], True])
def test_a_threshold_that_is_not_a_number_is_a_type_error(threshold):
    with pytest.raises(TypeError, match="threshold must be a number from 0 to 1"):
        linesift.Extractor(threshold=threshold)


@pytest.mark.parametrize("threshold", [2, -1, math.nan, math.inf])
def test_a_threshold_outside_zero_to_one_is_a_value_error(threshold):
    with pytest.raises(ValueError, match="threshold must be a number from 0 to 1"):
        linesift.Extractor(threshold=threshold)


def test_models_by_bundled_name_or_refused_clearly():
    assert linesift.Extractor(html_model="default-html").html_model.mode == "html"
    with pytest.raises(ValueError, match="not a bundled model; pass one of"):
        linesift.Extractor(html_model="site.joblib")
    with pytest.raises(linesift.ModelError, match="trained for 'text' input; pass it as text_model"):
        linesift.Extractor(html_model="default-text")
    with pytest.raises(TypeError, match="html_model must be a LinesiftModel"):
        linesift.Extractor(html_model=42)


def test_extract_many_takes_a_mapping_and_refuses_other_shapes():
    results = list(linesift.Extractor().extract_many({"a": "Home\n\nSome text here", "b": b""}))
    assert [r.doc_id for r in results] == ["a", "b"] and all(r.ok for r in results)
    with pytest.raises(TypeError, match=r"\(doc_id, document\) pairs"):
        list(linesift.Extractor().extract_many(["just a page"]))
    with pytest.raises(TypeError, match="for one document call extract"):
        list(linesift.Extractor().extract_many("<html></html>"))


def test_a_web_address_is_refused_not_fetched():
    with pytest.raises(InputError, match="linesift does not fetch pages"):
        linesift.extract("https://example.org/news/story")


def test_random_bytes_without_nul_are_binary():
    noise = os.urandom(5000).replace(b"\0", b"x")
    with pytest.raises(InputError, match="binary data"):
        linesift.extract(noise)
    with pytest.raises(InputError, match="binary data"):
        linesift.extract(noise.decode("latin-1"))


@pytest.mark.parametrize("call", [linesift.extract, linesift.clean_text, linesift.classify])
def test_every_module_function_takes_mode_and_encoding_and_names_the_allowed_modes(call):
    result = call("Caf\xe9 text".encode("cp1252"), mode="text", encoding="cp1252")
    assert result in ("Caf\xe9 text", "") or [line.text for line in result] == ["Caf\xe9 text"]
    with pytest.raises(ValueError, match="mode must be one of 'auto', 'html', 'text', not 'htm'"):
        call("text", mode="htm")


def test_options_are_keyword_only():
    with pytest.raises(TypeError):
        linesift.extract("<p>x</p>", "https://example.org")  # type: ignore[misc]


def test_limits_are_one_value_checked_when_made():
    with pytest.raises(linesift.InputTooLarge, match="max_lines"):
        linesift.Extractor(limits=linesift.Limits(max_lines=1)).extract("one\n\ntwo\n\nthree")
    with pytest.raises(TypeError, match="Limits.max_lines must be a whole number"):
        linesift.Limits(max_lines=-1)
    with pytest.raises(TypeError, match="limits must be a linesift.Limits"):
        linesift.Extractor(limits={"max_lines": 1})  # type: ignore[arg-type]


def test_favor_names_the_allowed_values_and_excludes_a_fixed_threshold():
    with pytest.raises(ValueError, match=r"favor must be one of \['precision', 'recall'\]"):
        linesift.Extractor(favor="speed")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="not both"):
        linesift.Extractor(favor="recall", threshold=0.3)


def test_every_type_a_public_function_returns_is_exported():
    for name in ("Extraction", "Line", "BatchResult", "Limits", "TrainingResult", "Evaluation", "PageScores"):
        assert name in linesift.__all__ and hasattr(linesift, name)


def test_load_model_default_is_the_clis_base_default():
    assert linesift.load_model("default").card == linesift.load_model("default-html").card
    assert linesift.load_model("default", mode="text").mode == "text"
