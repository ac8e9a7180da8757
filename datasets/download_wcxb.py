"""Download the WCXB benchmark from its home and keep its development split in the WCXB layout.

    python datasets/download_wcxb.py --out data/wcxb-dev

Only the pages whose metadata says ``split: dev`` are written: the held-out test split stays
untouched so that numbers measured on it remain honest.
"""

from __future__ import annotations

import argparse
import io
import json
import shutil
import sys
import urllib.request
import zipfile
from pathlib import Path

ARCHIVE_URL = "https://github.com/Murrough-Foley/web-content-extraction-benchmark/archive/refs/heads/main.zip"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, help="folder to create (html/, ground-truth/, metadata.json)")
    parser.add_argument("--url", default=ARCHIVE_URL, help="zip archive of the benchmark repository")
    args = parser.parse_args(argv)
    out = Path(args.out)
    print(f"downloading {args.url} ...", file=sys.stderr)
    with urllib.request.urlopen(args.url, timeout=120) as response:
        archive = zipfile.ZipFile(io.BytesIO(response.read()))
    names = archive.namelist()
    metadata_name = next((n for n in names if n.endswith("/metadata.json")), None)
    if metadata_name is None:
        print("the archive has no metadata.json: the benchmark's layout changed; check its README", file=sys.stderr)
        return 1
    metadata = json.loads(archive.read(metadata_name))
    dev = {page_id: meta for page_id, meta in metadata["files"].items() if meta.get("split") == "dev"}
    (out / "html").mkdir(parents=True, exist_ok=True)
    (out / "ground-truth").mkdir(parents=True, exist_ok=True)
    written = 0
    for name in names:
        stem = Path(name).name.split(".")[0]
        if stem not in dev:
            continue
        folder = "html" if "/html/" in name else "ground-truth" if "/ground-truth/" in name else None
        if folder is None:
            continue
        with archive.open(name) as source, (out / folder / Path(name).name).open("wb") as target:
            shutil.copyfileobj(source, target)
        written += 1
    (out / "metadata.json").write_text(json.dumps({**metadata, "split": "dev", "count": len(dev), "files": dev}, indent=1))
    print(f"wrote {written} files for {len(dev)} dev pages to {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
