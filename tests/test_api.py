"""The public API on the bundled models."""

import pytest

import linesift


@pytest.fixture(scope="module")
def sample_html(samples):
    return (samples / "river-cleanup.html").read_text()


@pytest.fixture(scope="module")
def sample_text(samples):
    return (samples / "river-cleanup.txt").read_text()


def test_extract_keeps_the_article_and_drops_the_chrome(sample_html):
    text = linesift.extract(sample_html)
    assert "More than two hundred volunteers" in text
    assert "brown trout" in text
    assert "All rights reserved" not in text
    assert "Accept all" not in text


def test_extract_accepts_bytes_and_str_alike(sample_html):
    assert linesift.extract(sample_html.encode("utf-8")) == linesift.extract(sample_html)


def test_clean_text_returns_kept_lines_verbatim_in_order(sample_text):
    kept = linesift.clean_text(sample_text).split("\n")
    stripped = [line.strip() for line in sample_text.splitlines() if line.strip()]
    positions = [stripped.index(line) for line in kept]
    assert positions == sorted(positions)


@pytest.mark.parametrize("name", ["river-cleanup", "river-cleanup.zh"])
def test_clean_text_on_the_sample_matches_its_labels(samples, name):
    # The Chinese dump has no spaces between words: it must read as well as the English one.
    rows = [line.split("\t") for line in (samples / f"{name}.labels.tsv").read_text().splitlines()[1:]]
    expected = {int(number) - 1: label for number, label, _ in rows}
    text = (samples / f"{name}.txt").read_text()
    predicted = {line.position: line.label for line in linesift.classify(text, mode="text")}
    assert predicted.keys() == expected.keys()
    agreement = sum(predicted[k] == expected[k] for k in expected) / len(expected)
    assert agreement >= 0.9


@pytest.mark.xfail(strict=True, reason="feature version 9: the text model drops the first paragraphs of a short "
                   "Chinese dump (p 0.01-0.05), which the English page of the same shape keeps; suspected cause: "
                   "topic columns built on character pairs find no recurrence on so few lines")
def test_a_short_chinese_text_dump_keeps_its_paragraphs():
    paragraphs = ["市议会周一同意重建旧人行桥，工程将于明年春天开始。",
                  "新桥将比旧桥更宽，行人和骑车人都能安全通过，市政府为此拨款三百万元。",
                  "附近居民说，他们多年来一直在等待这座桥的修复，因为旧桥在雨天非常危险。"]
    kept = linesift.clean_text("首页\n新闻\n\n" + "\n\n".join(paragraphs)).split("\n")
    assert kept == paragraphs


def test_classify_gives_text_label_probability_and_position(sample_text):
    lines = linesift.classify(sample_text)
    assert all(0.0 <= line.probability <= 1.0 for line in lines)
    assert all(line.label == ("content" if line.is_content else "boilerplate") for line in lines)
    assert lines[0].text == "Skip to content" and lines[0].position == 0


def test_html_and_text_renderings_of_a_page_agree_on_the_body(sample_html, sample_text):
    body = "Ecologists monitoring the river say the annual effort is paying off"
    assert body in linesift.extract(sample_html)
    assert body in linesift.clean_text(sample_text)


def test_extractor_is_deterministic(sample_html):
    extractor = linesift.Extractor()
    assert extractor.extract(sample_html) == extractor.extract(sample_html)


def test_threshold_zero_keeps_everything(sample_text):
    lines = sample_text.split("\n")
    assert linesift.Extractor(threshold=0.0).extract(sample_text, mode="text").split("\n") == [l.strip() for l in lines if l.strip()]


def test_empty_input_gives_empty_output():
    assert linesift.extract("") == ""
    assert linesift.clean_text("  \n \n") == ""
    assert linesift.classify(b"") == []


def test_wrong_type_is_a_clear_error():
    with pytest.raises(TypeError, match="str or bytes"):
        linesift.extract(42)


def test_bundled_models_are_listed_and_load():
    assert linesift.list_models() == ["default-html", "default-text"]
    model = linesift.load_model("default-text")
    assert model.mode == "text" and model.card["training_data"].startswith("WCXB")


def test_untrusted_model_path_is_refused(tmp_path):
    with pytest.raises(linesift.ModelError, match="trusted=True"):
        linesift.load_model(tmp_path / "model.joblib")


def test_feature_version_mismatch_says_how_to_retrain(tmp_path):
    from linesift.storage import save_model

    model = linesift.load_model("default-text")
    stale = linesift.LinesiftModel(model.classifier, model.mode, model.feature_names, feature_version=0, card=model.card)
    save_model(stale, tmp_path / "stale.joblib")
    with pytest.raises(linesift.ModelError, match="linesift train"):
        linesift.load_model(tmp_path / "stale.joblib", trusted=True)


def test_example_page_every_line_right(shared_examples):
    text = (shared_examples / "news-sharing-chrome.txt").read_text()
    rows = [line.split("\t") for line in (shared_examples / "news-sharing-chrome.labels.tsv").read_text().splitlines()[1:]]
    labels = {int(row[0]) - 1: row[1] for row in rows}
    predicted = {line.position: line.label for line in linesift.classify(text, mode="text")}
    content = [k for k, v in labels.items() if v == "content"]
    boilerplate = [k for k, v in labels.items() if v == "boilerplate"]
    assert all(predicted[k] == "content" for k in content)
    assert all(predicted[k] == "boilerplate" for k in boilerplate)
