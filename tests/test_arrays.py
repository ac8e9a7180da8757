"""Array helpers of the feature and context columns, one behaviour per test."""

import numpy as np

from linesift._arrays import group_mean, lines_since, rolling_mean, run_lengths, shift


def test_shift_moves_values_and_pads():
    assert shift(np.array([1.0, 2.0, 3.0]), 1).tolist() == [2.0, 3.0, -1.0]
    assert shift(np.array([1.0, 2.0, 3.0]), -1).tolist() == [-1.0, 1.0, 2.0]


def test_rolling_mean_clips_at_document_edges():
    assert rolling_mean(np.array([0.0, 3.0, 6.0]), 1).tolist() == [1.5, 3.0, 4.5]


def test_run_lengths_of_equal_flags():
    assert run_lengths(np.array([True, True, False, True])).tolist() == [2, 2, 1, 1]


def test_lines_since_last_flag():
    assert lines_since(np.array([False, True, False, False]), cap=9).tolist() == [9, 0, 1, 2]


def test_group_mean_averages_within_each_group():
    assert group_mean(np.array([1.0, 3.0, 5.0]), np.array([1, 1, 0])).tolist() == [2.0, 2.0, 5.0]
