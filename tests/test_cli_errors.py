"""Every subcommand over bad input: a clear message on stderr and an exit status, never a traceback."""

import io
import random

import pytest

from linesift.cli import main


def _run(argv, capsys):
    try:
        status = main(argv, out=io.StringIO())
    except SystemExit as exit_:  # argparse's usage errors
        status = exit_.code
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return status, err.splitlines()


@pytest.mark.parametrize("value", ["2", "-1", "nan", "inf", "half"])
def test_thresholds_outside_zero_to_one_are_refused(value, samples, capsys):
    status, err = _run(["extract", "--threshold", value, str(samples / "river-cleanup.html")], capsys)
    assert status == 2 and err[0].startswith("usage: linesift extract")
    assert err[-1] == f"linesift extract: error: argument --threshold: expected a number from 0 to 1, got '{value}'"


def test_random_bytes_without_nul_are_refused_as_binary(tmp_path, capsys):
    rng = random.Random(0)
    noise = bytes(rng.randrange(1, 256) for _ in range(5000))
    (tmp_path / "noise.bin").write_bytes(noise)
    status, err = _run(["extract", str(tmp_path / "noise.bin")], capsys)
    assert status == 1 and err[0].startswith(f"linesift: {tmp_path / 'noise.bin'}: the input looks like binary data")
    assert err[-1] == "1 document, 1 failed"


def test_a_web_address_is_refused_with_a_message_that_linesift_does_not_fetch(tmp_path, capsys):
    (tmp_path / "url.txt").write_text("https://example.org/news/story\n")
    status, err = _run(["extract", str(tmp_path / "url.txt")], capsys)
    assert status == 1 and "linesift does not fetch pages" in err[0]


def test_damaged_gzip_is_an_input_error(tmp_path, capsys):
    (tmp_path / "page.html.gz").write_bytes(b"\x1f\x8b\x08\x00broken")
    status, err = _run(["extract", str(tmp_path / "page.html.gz")], capsys)
    assert status == 1 and "damaged gzip" in err[0]


def test_missing_files_and_folders(tmp_path, samples, capsys):
    missing = str(tmp_path / "missing.html")
    assert _run(["extract", missing], capsys) == (1, [f"linesift: {missing}: No such file or directory", "1 document, 1 failed"])
    status, err = _run(["label", str(samples)], capsys)
    assert status == 2 and err[0] == f"linesift: {samples}: Is a directory"
    status, err = _run(["label", missing], capsys)
    assert status == 2 and err[0] == f"linesift: {missing}: No such file or directory"
    status, err = _run(["train", "--data", missing, "--out", str(tmp_path / "m.joblib")], capsys)
    assert status == 2 and err[0].startswith("linesift: no folder at")
    status, err = _run(["evaluate", "--data", missing], capsys)
    assert status == 2 and err[0].startswith("linesift: no folder at")


def test_an_empty_folder_or_a_glob_matching_nothing(tmp_path, capsys):
    status, err = _run(["extract", "--glob", "*.html", str(tmp_path)], capsys)
    assert status == 2 and err[0] == f"linesift: no file under {tmp_path} matches --glob '*.html'"


def test_favor_and_a_fixed_threshold_together_are_refused(samples, capsys):
    status, err = _run(["extract", "--favor", "recall", "--threshold", "0.5", str(samples / "river-cleanup.html")], capsys)
    assert status == 2 and err[0].startswith("linesift: --favor moves each page's own threshold")


def test_an_untrusted_model_file_says_which_option_allows_it(tmp_path, samples, capsys):
    (tmp_path / "m.joblib").write_bytes(b"not a model")
    status, err = _run(["extract", "--model", str(tmp_path / "m.joblib"), str(samples / "river-cleanup.txt")], capsys)
    assert status == 2 and "--trust-model" in err[0] and "trusted=True" not in err[0]


def test_training_html_on_text_pages_names_the_cli_option(samples, tmp_path, capsys):
    (tmp_path / "page.txt").write_bytes((samples / "river-cleanup.txt").read_bytes())
    assert _run(["label", str(tmp_path / "page.txt"), "--out", str(tmp_path / "page.tsv")], capsys)[0] == 0
    status, err = _run(["train", "--data", str(tmp_path), "--out", str(tmp_path / "m.joblib")], capsys)
    # the line starts with the progress bar of `train`, left open when it fails
    message = next(line for line in err if "linesift: " in line)
    assert status == 2 and "linesift: page: " in message and "(use --mode text)" in message


def test_the_hint_after_label_is_a_command_that_works(samples, tmp_path, capsys, monkeypatch):
    (tmp_path / "page.html").write_bytes((samples / "river-cleanup.html").read_bytes())
    status, err = _run(["label", str(tmp_path / "page.html"), "--out", str(tmp_path / "page.tsv")], capsys)
    hint = err[0].split("`")[1].split()
    assert status == 0 and hint[0] == "linesift"
    monkeypatch.chdir(tmp_path)
    assert _run(hint[1:], capsys)[0] == 0 and (tmp_path / "site.joblib").exists()


def test_version(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0 and capsys.readouterr().out.startswith("linesift ")


def test_every_option_has_help():
    from linesift.cli import build_parser

    parser = build_parser()
    commands = next(a for a in parser._actions if a.dest == "command").choices
    for name, command in commands.items():
        for action in command._actions:
            assert action.help, f"linesift {name} {action.option_strings or action.dest} has no help"
