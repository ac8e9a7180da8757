"""Shared fixtures: paths to the project's samples and, when present, the shared data beside the checkout."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "datasets" / "samples"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def samples() -> Path:
    return SAMPLES


@pytest.fixture(scope="session")
def shared_examples() -> Path:
    folder = SHARED / "examples"
    if not folder.is_dir():
        pytest.skip("../shared/examples is not present")
    return folder


@pytest.fixture(scope="session")
def wcxb_dev() -> Path:
    folder = SHARED / "datasets" / "wcxb-dev"
    if not folder.is_dir():
        pytest.skip("../shared/datasets/wcxb-dev is not present")
    return folder


@pytest.fixture(scope="session")
def tiny_wcxb(tmp_path_factory) -> Path:
    """A WCXB-layout folder of six pages built from the project's own sample, on two domains."""
    import json

    folder = tmp_path_factory.mktemp("tiny-wcxb")
    (folder / "html").mkdir()
    (folder / "ground-truth").mkdir()
    page = (SAMPLES / "river-cleanup.html").read_text()
    rows = [line.split("\t") for line in (SAMPLES / "river-cleanup.labels.tsv").read_text().splitlines()[1:]]
    content = "\n\n".join(text for _, label, text in rows if label == "content")
    files = {}
    for number in range(6):
        page_id = f"{number:04d}"
        (folder / "html" / f"{page_id}.html").write_text(page.replace("Elm River", f"Elm River {number}"))
        truth = {"url": f"https://site{number % 3}.example/{page_id}", "ground_truth": {"main_content": content.replace("Elm River", f"Elm River {number}")}}
        (folder / "ground-truth" / f"{page_id}.json").write_text(json.dumps(truth))
        files[page_id] = {"page_type": "article", "domain": f"site{number % 3}.example"}
    (folder / "metadata.json").write_text(json.dumps({"files": files}))
    return folder
