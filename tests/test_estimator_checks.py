"""The line classifier keeps scikit-learn's estimator contract in its numeric configuration.

Its word and markup scorers (``lexical=True``, ``markup_words=True``) take the lines' strings
beside ``X``, which the generic checks cannot pass; they are tested in ``test_lexical.py``.
"""

from sklearn.utils.estimator_checks import parametrize_with_checks

from linesift.model import LineClassifier


@parametrize_with_checks([LineClassifier(max_iter=5), LineClassifier(max_iter=5, context_stages=0),
                          LineClassifier(max_iter=5, n_splits=(2, 3))])
def test_line_classifier_follows_the_scikit_learn_contract(estimator, check):
    check(estimator)
