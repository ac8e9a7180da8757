"""Fuzz target for linesift's whole pipeline (decode → lines → features → model), with atheris.

Each input becomes a document (bytes with a declared encoding, or text) and a mode. The target
fails when anything but a documented :class:`linesift.InputError` escapes, or when text-mode
output is not a subsequence of the input's lines. How to run it: ``fuzz/README.md``.
"""

from __future__ import annotations

import re
import sys

import atheris

with atheris.instrument_imports(include=["linesift"]):
    import linesift
    from linesift import InputError

from threadpoolctl import threadpool_limits

MODES = ("auto", "html", "text")
ENCODINGS = (None, "utf-8", "cp1252", "utf-16", "shift_jis", "no-such-charset")
EXTRACTOR = linesift.Extractor()
_SURROGATE_OR_BOM = re.compile("[\ud800-\udfff]|\\A\ufeff")


def _is_subsequence(part: list[str], whole: list[str]) -> bool:
    rest = iter(whole)
    return all(line in rest for line in part)


def test_one_input(data: bytes) -> None:
    """Run one document through :meth:`linesift.Extractor.extract`; raise on anything undocumented."""
    provider = atheris.FuzzedDataProvider(data)
    mode = MODES[provider.ConsumeIntInRange(0, len(MODES) - 1)]
    as_bytes = provider.ConsumeBool()
    encoding = ENCODINGS[provider.ConsumeIntInRange(0, len(ENCODINGS) - 1)]
    document: str | bytes = provider.ConsumeBytes(len(data)) if as_bytes else provider.ConsumeUnicode(len(data))
    try:
        kept = EXTRACTOR.extract(document, mode=mode, encoding=encoding)
    except InputError:
        return
    # Only the BOM and lone surrogates (made U+FFFD) are changed on the way in; elsewhere lines are kept verbatim.
    if mode == "text" and isinstance(document, str) and kept and not _SURROGATE_OR_BOM.search(document):
        stripped = [line.strip() for line in document.splitlines() if line.strip()]
        if not _is_subsequence(kept.split("\n"), stripped):
            raise AssertionError(f"text-mode output is not a subsequence of the input lines: {kept!r}")


def main() -> None:
    """Start libFuzzer with the command-line arguments (``-max_total_time=60`` and so on)."""
    with threadpool_limits(limits=1):
        atheris.Setup(sys.argv, test_one_input)
        atheris.Fuzz()


if __name__ == "__main__":
    main()
