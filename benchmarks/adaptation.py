"""Does adapting to a site help? Base model vs the same model adapted with 2 pages of the site.

Usage (from the repository root; about 30 minutes on 2 busy cores, 5 with ``--methods continued``)::

    OMP_NUM_THREADS=1 nice -n 10 python benchmarks/adaptation.py --data ../shared/datasets/wcxb-dev
    OMP_NUM_THREADS=1 python benchmarks/adaptation.py --data ../shared/datasets/wcxb-dev --mode text --methods continued

Two ways of adapting are compared: *continued* (:func:`linesift.site.adapt_to_site`, what
``linesift train --base`` does: boosting continued on the site's pages, the number of trees chosen
leave one page out) and *refit* (the base classifier refitted on its base data plus the site's
pages, ``--base-data``). With ``--mode text`` the models read html-text renderings of the pages.

The test sites are the wcxb-dev domains with at least ``--min-pages`` pages (``metadata.json``).
Every page of those domains is left out of one shared base model, trained on a seeded sample of
``--base-pages`` pages of the other domains, as a refit with ``--base-data`` samples its base data.
One base model for all test sites instead of one per site is honest (no base model saw any test
site) and 11 times cheaper. Each site adapts with pages of its most common page type, as a person
labels pages like those they will extract: the first ``--adapt-pages`` of that type (by id) adapt
the model, continued or refitted as ``linesift train --base`` does.
The site's other pages of that type are scored by the base model, the adapted model, and a model
trained on the adapting pages alone; its pages of other types show what adapting does to another
template of the same site. A fixed sample of ``--held-out`` pages of other domains, in no training
set, checks that adapting does not make the model worse elsewhere.

To stay affordable on 2 cores, every page is labelled once and kept in memory, and all models use
``LineClassifier(max_iter=--max-iter)`` (100; the bundled models use 120) with threshold 0.5,
which as a floor leaves page thresholds no room (:mod:`linesift.selection` never cuts above 0.5).
Scores are the WCXB word-level F1, macro-averaged over pages; line labels come from alignment.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from linesift._defaults import DEFAULT_BASE_PAGES, DEFAULT_USER_SHARE
from linesift.datasets import Page, load_wcxb, sample_pages
from linesift.labels import LabelledDocument, label_documents
from linesift.model import LineClassifier
from linesift.scoring import score_model
from linesift.site import adapt_to_site
from linesift.storage import LinesiftModel
from linesift.training import Fitting, fit_classifier

ROOT = Path(__file__).resolve().parents[1]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "datasets" / "wcxb-dev"), help="WCXB-layout folder")
    parser.add_argument("--min-pages", type=int, default=4, help="pages a domain needs to be a test site")
    parser.add_argument("--adapt-pages", type=int, default=2, help="pages of the site used to adapt")
    parser.add_argument("--base-pages", type=int, default=DEFAULT_BASE_PAGES, help="base pages sampled from other domains")
    parser.add_argument("--held-out", type=int, default=100, help="pages of other domains that check for harm")
    parser.add_argument("--user-shares", default=str(DEFAULT_USER_SHARE), help="comma-separated shares of weight to try")
    parser.add_argument("--max-iter", type=int, default=100, help="boosting iterations of every model")
    parser.add_argument("--mode", choices=("html", "text"), default="html",
                        help="adapt HTML models, or text models on html-text renderings of the pages")
    parser.add_argument("--methods", default="continued,refit",
                        help="comma-separated: continued (boosting continued on the site's pages, as `linesift train "
                             "--base` adapts), refit (the base data plus the site's pages, as with --base-data)")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "adaptation.json"))
    return parser.parse_args(argv)


@dataclass
class Site:
    """A test site: the pages that adapt the model, its other pages of their type, and its pages of other types."""

    page_type: str
    adapt: list[Page]
    test: list[Page]
    other_types: list[Page]


def split_pages(pages: list[Page], args: argparse.Namespace) -> tuple[dict[str, Site], list[Page], list[Page]]:
    """Test sites by domain, the base sample and the held-out sample, all disjoint.

    A site adapts with pages of its most common page type (a person labels pages like those they
    will extract): the first ``--adapt-pages`` of that type by id, scored on the rest of that type.
    """
    by_domain: dict[str, list[Page]] = defaultdict(list)
    for page in sorted(pages, key=lambda page: page.page_id):
        by_domain[page.domain].append(page)
    sites = {}
    for domain, domain_pages in sorted(by_domain.items()):
        if not domain or len(domain_pages) < args.min_pages:
            continue
        types = Counter(page.page_type for page in domain_pages)
        page_type = max(sorted(types), key=lambda name: types[name])
        same = [page for page in domain_pages if page.page_type == page_type]
        if len(same) > args.adapt_pages:
            sites[domain] = Site(page_type, same[: args.adapt_pages], same[args.adapt_pages :],
                                 [page for page in domain_pages if page.page_type != page_type])
    others = [page for page in pages if page.domain not in sites]
    held_out = sample_pages(others, args.held_out, random_state=1)
    held_ids = {page.page_id for page in held_out}
    base = sample_pages([page for page in others if page.page_id not in held_ids], args.base_pages)
    return sites, base, held_out


def f1(classifier: LineClassifier, documents: list[LabelledDocument]) -> float:
    return score_model(classifier, documents, 0.5).summary().f1


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    shares = [float(share) for share in args.user_shares.split(",")]
    methods = args.methods.split(",")
    sites, base_pages, held_out_pages = split_pages(list(load_wcxb(args.data)), args)
    print(f"{len(sites)} test sites ({sum(len(site.adapt) + len(site.test) for site in sites.values())} pages of their "
          f"main type), {len(base_pages)} base pages, "
          f"{len(held_out_pages)} held-out pages of other domains", flush=True)
    site_pages = [page for site in sites.values() for page in (*site.adapt, *site.test, *site.other_types)]
    sources = ["html"] if args.mode == "html" else ["text:html-text"]
    documents = label_documents([*site_pages, *base_pages, *held_out_pages], sources, progress=True)
    by_id = {d.page.page_id: d for d in documents}
    base = [by_id[p.page_id] for p in base_pages]
    held_out = [by_id[p.page_id] for p in held_out_pages]
    classifier = LineClassifier(max_iter=args.max_iter)

    started = time.perf_counter()
    # Lines count once, as `linesift train --base` counts them; a site's pages split by page.
    base_model = fit_classifier(base, Fitting(classifier, word_weights=False))
    print(f"base model fitted in {time.perf_counter() - started:.0f} s", flush=True)
    base_for_site = LinesiftModel(classifier=base_model, mode=args.mode, feature_names=list(documents[0].names),
                                  floor=0.5)
    results: dict[str, object] = {"settings": vars(args), "held_out_base_f1": f1(base_model, held_out)}
    rows = []
    for domain, site in sites.items():
        adapt, test, other = ([by_id[p.page_id] for p in group] for group in (site.adapt, site.test, site.other_types))
        row: dict[str, object] = {"domain": domain, "page_type": site.page_type, "test_pages": len(test),
                                  "other_type_pages": len(other), "base": f1(base_model, test),
                                  "alone": f1(fit_classifier(adapt, Fitting(classifier, grouped_by="page", word_weights=False)), test),
                                  "other_type_base": f1(base_model, other) if other else None}
        if "continued" in methods:
            started = time.process_time()
            adaptation = adapt_to_site(adapt, base_for_site)
            continued, row["trees_continued"] = adaptation.classifier, adaptation.extra_trees
            row["seconds_continued"] = round(time.process_time() - started, 1)
            row["adapted_continued"] = f1(continued, test)
            row["other_type_continued"] = f1(continued, other) if other else None
            row["held_out_continued"] = f1(continued, held_out)
        for share in shares if "refit" in methods else ():
            started = time.process_time()
            adapting = Fitting(classifier, grouped_by="page", word_weights=False, user_share=share, base=base)
            adapted = fit_classifier(adapt, adapting)
            row[f"adapted_{share}"] = f1(adapted, test)
            row[f"other_type_{share}"] = f1(adapted, other) if other else None
            row[f"held_out_{share}"] = f1(adapted, held_out)
            row[f"seconds_{share}"] = round(time.process_time() - started, 1)
        rows.append(row)
        print(json.dumps(row), flush=True)
        results["sites"] = rows
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(json.dumps(results, indent=2) + "\n")
    variants = [*(["continued"] if "continued" in methods else []), *(shares if "refit" in methods else [])]
    print_table(rows, variants, float(results["held_out_base_f1"]))  # type: ignore[arg-type]
    return 0


def print_table(rows: list[dict[str, object]], variants: list[object], held_out_base: float) -> None:
    """Per site F1 base vs adapted (the stacked site stage, refits at each user share), the mean gain, and the held-out check."""
    names = [f"share {v}" if isinstance(v, float) else str(v) for v in variants]
    print(f"\n{'site':<24}{'type':<15}{'test':>5}{'base':>7}{'alone':>7}" + "".join(f"{name:>12}" for name in names))
    for row in rows:
        cells = "".join(f"{row[f'adapted_{v}']:>12.3f}" for v in variants)
        print(f"{row['domain']:<24}{row['page_type']:<15}{row['test_pages']:>5}{row['base']:>7.3f}{row['alone']:>7.3f}{cells}")
    mean = {key: float(np.mean([row[key] for row in rows])) for key in ("base", "alone", *(f"adapted_{v}" for v in variants))}
    cells = "".join(f"{mean[f'adapted_{v}']:>12.3f}" for v in variants)
    print(f"{'mean over sites':<44}{mean['base']:>7.3f}{mean['alone']:>7.3f}{cells}")
    with_other = [row for row in rows if row["other_type_pages"]]
    for variant, name in zip(variants, names):
        gains = [float(row[f"adapted_{variant}"]) - float(row["base"]) for row in rows]  # type: ignore[arg-type]
        held = [float(row[f"held_out_{variant}"]) for row in rows]  # type: ignore[arg-type]
        other = [float(row[f"other_type_{variant}"]) - float(row["other_type_base"]) for row in with_other]  # type: ignore[arg-type]
        seconds = np.mean([float(row[f"seconds_{variant}"]) for row in rows])  # type: ignore[arg-type]
        print(f"{name}: mean F1 gain {np.mean(gains):+.3f}, better on {sum(g > 0 for g in gains)} of {len(rows)} "
              f"sites, worse on {sum(g < 0 for g in gains)}; the same sites' pages of other types {np.mean(other):+.3f} "
              f"({len(with_other)} sites); held-out other domains F1 {held_out_base:.3f} -> mean {np.mean(held):.3f}, "
              f"worst {min(held):.3f}; {seconds:.1f} s CPU per adaptation")


if __name__ == "__main__":
    sys.exit(main())
