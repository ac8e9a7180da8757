"""Named defaults of training and labelling, apart so that the command line shows them without importing training.

>>> 0 < DEFAULT_USER_SHARE < 1
True
"""

#: Share of the training weight that the user's pages carry when adapting (the base data has the rest).
#: Set before the adaptation benchmark ran (docs/retraining.md, "Does adapting help?").
DEFAULT_USER_SHARE = 0.2
#: Base pages sampled to adapt on (a 2-minute refit on 2 cores, docs/retraining.md); all 1,358 wcxb-dev pages have 4.2 times the lines.
DEFAULT_BASE_PAGES = 300
#: ``linesift label`` marks lines whose probability is this close to the page's threshold with ``?``.
REVIEW_MARGIN = 0.2
