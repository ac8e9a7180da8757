"""Check that a speed change keeps every feature value: a digest of each page's features, before and after.

Usage (from the repository root), the code before on ``PYTHONPATH`` (a ``git worktree`` of the
commit before) and then the code after::

    git worktree add /tmp/before HEAD
    PYTHONPATH=/tmp/before/src python3 benchmarks/feature_digests.py --data ../shared/datasets/fundus --out /tmp/before.json
    PYTHONPATH=src python3 benchmarks/feature_digests.py --data ../shared/datasets/fundus --out /tmp/after.json \\
        --compare /tmp/before.json

For every page of each ``--data`` folder (either benchmark layout), in HTML and as html-text's
rendering, the SHA-1 of its feature matrix, column names, template clusters and markup
(:func:`linesift.features.featurize`). The bundled models were trained on these values, so a
change meant to be faster must leave every digest as it was; ``--compare`` prints the pages whose
digest moved and exits 1 if any did. Also prints the CPU seconds spent in lines and features.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from loaders import load_pages, read_html

from linesift._input import load_lines
from linesift.features import Features, featurize
from linesift.lines import text_lines
from linesift.renderings import render


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, action="append", required=True, help="benchmark folder (repeatable)")
    parser.add_argument("--out", type=Path, required=True, help="JSON file of the digests")
    parser.add_argument("--compare", type=Path, help="digests of the code before, to compare with")
    parser.add_argument("--limit", type=int, help="only the first N pages of each folder")
    return parser.parse_args(argv)


def digest(features: Features) -> str:
    """SHA-1 of everything :func:`featurize` returns, shapes included."""
    sha = hashlib.sha1(repr(features.matrix.shape).encode())
    sha.update(features.matrix.tobytes())
    sha.update(features.clusters.tobytes())
    sha.update("\x00".join(features.names).encode())
    sha.update("\x00".join(features.markup).encode())
    return sha.hexdigest()


def page_digests(data_dirs: list[Path], limit: int | None) -> tuple[dict[str, str], float]:
    """``{"<folder>/<page id>/<input>": digest}`` of every page, and the CPU seconds spent featurizing."""
    digests: dict[str, str] = {}
    spent = 0.0
    for data_dir in data_dirs:
        for page in load_pages(data_dir, limit):
            html = read_html(page.html_path)
            for source in ("html", "text:html-text"):
                started = time.process_time()
                lines = load_lines(html, mode="html", max_seconds=None) if source == "html" else text_lines(render(html, "html-text"))
                features = featurize(lines)
                spent += time.process_time() - started
                digests[f"{data_dir.name}/{page.page_id}/{source}"] = digest(features)
    return digests, spent


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    digests, spent = page_digests(args.data, args.limit)
    args.out.write_text(json.dumps(digests, indent=0, sort_keys=True))
    print(f"{len(digests)} pages and renderings, {spent:.1f} s CPU in lines and features; digests in {args.out}")
    if args.compare is None:
        return 0
    before = json.loads(args.compare.read_text())
    moved = sorted(key for key in digests.keys() | before.keys() if digests.get(key) != before.get(key))
    for key in moved[:20]:
        print(f"  moved: {key}")
    print(f"{len(moved)} of {len(digests)} differ from {args.compare}")
    return 1 if moved else 0


if __name__ == "__main__":
    sys.exit(main())
