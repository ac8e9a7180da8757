"""The fixed feature list per mode: featurize follows it and loading a model checks it."""

from __future__ import annotations

import dataclasses

import pytest
from lxml import html

from linesift.features import check_feature_names, feature_names, featurize
from linesift.lines import text_lines, tree_lines
from linesift.storage import ModelError, default_model, load_model, save_model


@pytest.mark.parametrize("mode", ["html", "text"])
def test_bundled_models_were_built_for_the_fixed_list(mode):
    assert default_model(mode).feature_names == list(feature_names(mode))


def test_featurize_gives_the_columns_of_the_fixed_list():
    page = tree_lines(html.document_fromstring("<h1>Title</h1><p>Some text of the article.</p><a href='/'>Home</a>"))
    assert featurize(page).names == list(feature_names("html"))
    assert featurize(text_lines("Home\n\nSome text.")).names == list(feature_names("text"))


@pytest.mark.parametrize("mode", ["html", "text"])
def test_an_empty_document_has_every_column_and_no_rows(mode):
    empty = dataclasses.replace(text_lines(""), is_html=mode == "html")
    features = featurize(empty)
    assert features.matrix.shape == (0, len(feature_names(mode)))
    assert features.names == list(feature_names(mode))


def test_other_columns_are_named_in_the_error():
    names = [name for name in feature_names("text") if name != "stop_share"] + ["new_column"]
    with pytest.raises(ValueError, match="missing stop_share; unknown new_column"):
        check_feature_names(names, "text", "this model")


def test_reordered_columns_are_refused():
    names = list(reversed(feature_names("text")))
    with pytest.raises(ValueError, match="another order"):
        check_feature_names(names, "text", "this model")


def test_a_model_built_for_other_columns_does_not_load(tmp_path):
    model = default_model("text")
    other = dataclasses.replace(model, feature_names=[*model.feature_names[:-1], "renamed"])
    path = tmp_path / "other.joblib"
    save_model(other, path)
    with pytest.raises(ModelError, match="unknown renamed"):
        load_model(path, trusted=True)
