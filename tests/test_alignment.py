"""Labelling lines against ground-truth main content."""

from linesift.alignment import align

ARTICLE = (
    "Mutual defence treaty\n\n"
    "North Korean forces participated in the operations for liberating the Kursk areas, the commission said.\n\n"
    "Reviews\n\n"
    "Kim added that a monument to the battle feats would soon be built in the capital city."
)


def test_long_lines_match_by_trigrams_despite_punctuation():
    texts = ["North Korean forces “participated” in the operations for liberating the Kursk areas, the commission said"]
    assert align(texts, ARTICLE).tolist() == [True]


def test_short_heading_is_content_next_to_its_section():
    texts = [
        "Mutual defence treaty",
        "North Korean forces participated in the operations for liberating the Kursk areas, the commission said.",
    ]
    assert align(texts, ARTICLE).tolist() == [True, True]


def test_short_line_far_from_its_place_in_the_content_is_boilerplate():
    filler = " ".join(f"word{i}" for i in range(200))
    truth = f"Reviews\n\n{filler}"
    texts = [filler, "Reviews"]
    # "Reviews" occurs in the content, but 200 words before where the page shows it.
    assert align(texts, truth).tolist() == [True, False]


def test_each_occurrence_of_a_short_line_is_used_once():
    texts = [
        "Reviews",
        "North Korean forces participated in the operations for liberating the Kursk areas, the commission said.",
        "Reviews",
        "Reviews",
    ]
    labels = align(texts, ARTICLE).tolist()
    assert labels.count(True) == 2 and labels[1]


def test_boilerplate_lines_are_not_content():
    texts = ["Share and Follow", "You May Also Like", "Subscribe to our newsletter today for the latest updates"]
    assert not align(texts, ARTICLE).any()


def test_empty_ground_truth_labels_everything_boilerplate():
    assert align(["anything at all here today"], "").tolist() == [False]
