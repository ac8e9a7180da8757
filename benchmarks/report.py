"""Build RESULTS.md and the F1-versus-speed plot from every result file in the results folder.

The report is rebuilt from the files, not from the run in memory, so re-running a few systems
merges with what earlier runs left.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path

PLOT_NAME = "f1_vs_speed.png"
#: Folder of the results folder holding one results folder per labelled set, made by
#: ``training/leave_one_source_out.py --peers``.
SOURCES_DIR = "sources"

METHOD = """\
How the numbers are made (`benchmarks/`):

* **Accuracy**: word-level precision/recall/F1 (lower-cased `\\w+` tokens, bag of words with
  counts) per page, averaged over pages (macro), with `linesift.evaluation`. A crash, error or
  timeout scores as empty output.
* **with / without**: share of the ground truth's `with` snippets found in the output, and of
  its `without` snippets absent from it, compared after NFKC, lower-casing, straight quotes and
  single spaces; averaged over the pages that have such snippets.
* **Speed**: CPU time of the extraction call alone (`time.process_time`), in a worker process
  pinned to one core, systems run one after another; one untimed warm-up call first.
  pages/s = pages / total CPU seconds. Peak memory: the worker's maximum RSS (imports included;
  scikit-learn imports pandas, and pandas pyarrow, when they are installed: about 64 MB more for
  linesift, see `docs/speed.md`).
  CPU time still grows when other processes share the machine (caches, SMT siblings): compare
  speeds only between rows run under a similar load (see the last column of the setup table).
* **Plain-text inputs**: the page rendered by html-text or inscriptis, then given to each line
  filter; the rendering time is not counted.
* **linesift's accuracy** on the WCXB dev split comes from cross-validated predictions (split by
  domain) when `results/linesift-cv.jsonl` is present; otherwise from the bundled model, which may
  have been trained on these very pages. Its speed is always the bundled model's.
"""


def load_results(out_dir: Path) -> list[dict]:
    """Every result file in ``out_dir``."""
    results = []
    for path in sorted(out_dir.glob("*.json")):
        data = json.loads(path.read_text())
        if isinstance(data, dict) and "system" in data and "input" in data:
            results.append(data)
    return results


def _num(value: float | None, digits: int = 3) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _versions(versions: Mapping[str, str | None] | None, empty: str) -> str:
    return ", ".join(f"{package} {version or 'not installed'}" for package, version in (versions or {}).items()) or empty


def one_line(result: Mapping) -> str:
    """A one-line summary of a result, for the console."""
    if result["status"] != "ok" and result["scores"] is None:
        return f"{result['system']:>22} {result['input']:<16} unavailable: {result['error']}"
    speed = result["speed"] or {}
    return (
        f"{result['system']:>22} {result['input']:<16} F1 {_num(result['scores']['f1'])}"
        f"  {_num(speed.get('pages_per_second'), 1)} pages/s  failures {result['failures']}  timeouts {result['timeouts']}"
    )


def _f1(result: Mapping) -> float:
    return result["scores"]["f1"] if result["scores"] else -1.0


def _main_table(results: list[dict]) -> list[str]:
    lines = [
        "| system | input | P | R | F1 | with found | without absent | pages/s | median ms | p95 ms | peak MB | failures | timeouts | accuracy from |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for result in sorted((r for r in results if r["scores"]), key=lambda r: (r["input"] != "html", r["input"], -_f1(r))):
        scores, speed, snippets = result["scores"] or {}, result["speed"] or {}, result["snippets"] or {}
        lines.append(
            f"| {result['system']} | {result['input']} | {_num(scores.get('precision'))} | {_num(scores.get('recall'))} "
            f"| **{_num(scores.get('f1'))}** | {_num(snippets.get('with_found'))} | {_num(snippets.get('without_absent'))} "
            f"| {_num(speed.get('pages_per_second'), 1)} | {_num(speed.get('median_ms'), 1)} | {_num(speed.get('p95_ms'), 1)} "
            f"| {_num(speed.get('peak_rss_mb'), 0)} | {result['failures']} | {result['timeouts']} | {result['accuracy_source'] or '–'} |"
        )
    return lines


def _page_type_table(results: list[dict]) -> list[str]:
    scored = [r for r in results if r["by_page_type"]]
    types = sorted({page_type for r in scored for page_type in r["by_page_type"]})
    if not scored:
        return []
    counts = {t: next(r["by_page_type"][t]["pages"] for r in scored if t in r["by_page_type"]) for t in types}
    lines = [
        "| system | input | " + " | ".join(f"{t} ({counts[t]})" for t in types) + " |",
        "|---|---|" + "---|" * len(types),
    ]
    for result in sorted(scored, key=lambda r: (r["input"] != "html", r["input"], -_f1(r))):
        cells = [_num(result["by_page_type"].get(t, {}).get("f1")) for t in types]
        lines.append(f"| {result['system']} | {result['input']} | " + " | ".join(cells) + " |")
    return lines


def _setup(results: list[dict]) -> list[str]:
    lines = [
        "| system | input | system version | rendered by | run on (UTC) | machine load after (1 min) |",
        "|---|---|---|---|---|---|",
    ]
    for result in sorted(results, key=lambda r: (r["system"], r["input"])):
        system = _versions(result["versions"], "own code (benchmarks/line_filters.py)")
        load = _num(result.get("load_1min_after"), 2)
        lines.append(f"| {result['system']} | {result['input']} | {system} | {_versions(result['renderer'], '–')} | {result['date']} | {load} |")
    machines = {json.dumps(r["machine"], sort_keys=True) for r in results}
    lines.append("")
    for machine in sorted(machines):
        m = json.loads(machine)
        lines.append(f"* Machine: {m['cpu']}, {m['cores']} cores available (timing uses one), {m['os']}, Python {m['python']}")
    lines.append("* Commands (from the repository root):")
    lines += [f"  * `{command}`" for command in sorted({r["command"] for r in results})]
    return lines


def _section(data_key: str, results: list[dict]) -> list[str]:
    unavailable = [r for r in results if r["status"] != "ok"]
    lines = [f"## {data_key}", "", *_main_table(results), "", "### F1 by page type (pages)", "", *_page_type_table(results)]
    if unavailable:
        lines += ["", "### Not run, or not timed", ""]
        lines += [f"* {r['system']} on {r['input']}: {r['error']}" for r in unavailable]
    lines += ["", "### Versions and machine", "", *_setup(results), ""]
    return lines


def _sources_table(sources_dir: Path) -> list[str]:
    """Word F1 (precision) of every system on every labelled set and its page types, linesift from a model that never saw the set."""
    by_set = {folder.name: [r for r in load_results(folder) if r["scores"]]
              for folder in sorted(sources_dir.iterdir()) if folder.is_dir()}
    systems = sorted({r["system"] for results in by_set.values() for r in results}, key=lambda s: (s != "linesift", s))
    rows = []
    for name, results in by_set.items():
        for input_name in sorted({r["input"] for r in results}, key=lambda i: (i != "html", i)):
            found = {r["system"]: r for r in results if r["input"] == input_name}
            first = next(iter(found.values()))
            rows.append((f"{name} ({first['data']['pages']})", input_name, {s: r["scores"] for s, r in found.items()}))
            if len(first["by_page_type"]) > 1:
                rows += [(f"{name}: {page_type} ({counts['pages']})", input_name,
                          {s: r["by_page_type"][page_type] for s, r in found.items() if page_type in r["by_page_type"]})
                         for page_type, counts in sorted(first["by_page_type"].items())]
    if not rows:
        return []
    lines = [
        "## Every labelled set, linesift trained without it",
        "",
        "Made by `python training/leave_one_source_out.py --peers`. linesift: on a set that the bundled model of the",
        "row's input never saw (dragnet, cleaneval and readability are never trained on), that model; on a set it was",
        "trained on, a model of its design trained on the shipped sets (wcxb-dev, fundus and magic-html) less the",
        "row's; every model takes the bundled model's floor and beta. Text rows: the page rendered by html-text",
        "or inscriptis, read by linesift's text model and the line filters; the HTML peers read the page itself.",
        "Word F1, precision in brackets, macro over pages; the best of each row in bold.",
        "",
        "| set (pages) | input | " + " | ".join(systems) + " |",
        "|---|---|" + "---|" * len(systems),
    ]
    for label, input_name, scores in rows:
        best = max(s["f1"] for s in scores.values())
        cells = ["–" if system not in scores else
                 _bold_if(f"{_num(scores[system]['f1'])} ({_num(scores[system]['precision'])})", scores[system]["f1"] == best)
                 for system in systems]
        lines.append(f"| {label} | {input_name} | " + " | ".join(cells) + " |")
    return [*lines, ""]


def _loaded_table(out_dir: Path) -> list[str]:
    """linesift's wall time beside a busy core, with its default threads and with one (``benchmarks/loaded.py``)."""
    runs = [json.loads(path.read_text()) for path in sorted(out_dir.glob("loaded-*.json"))]
    if not runs:
        return []
    lines = ["## On a busy machine", "",
             "linesift beside a CPU-bound process pinned to core 0, in fresh processes free to use every core,",
             "with the environment as a new user has it and with `OMP_NUM_THREADS=1` (the faster of two runs each).",
             "",
             "| work | pages | default settings | `OMP_NUM_THREADS=1` | ratio | run on (UTC) | command |",
             "|---|---|---|---|---|---|---|"]
    for run in runs:
        default, one = run["settings"]["default"], run["settings"]["OMP_NUM_THREADS=1"]
        lines.append(f"| {run['loaded']} | {default['pages']} | {default['wall_s']:.2f} s wall, {default['cpu_s']:.2f} s CPU | "
                     f"{one['wall_s']:.2f} s wall, {one['cpu_s']:.2f} s CPU | {run['ratio']:.2f}x | {run['run_on']} | "
                     f"`{run['command']}` |")
    return [*lines, ""]


def _paired_table(out_dir: Path) -> list[str]:
    """linesift's pages/s against a peer's, the two timed page by page in one process (``benchmarks/paired_speed.py``)."""
    path = out_dir / "paired-speed.json"
    if not path.exists():
        return []
    run = json.loads(path.read_text())
    peer, speeds = run["peer"], run["pages_per_second"]
    rounds = ", ".join(f"{ratio:.2f}x" for ratio in run["round_ratios"])
    return ["## Speed against " + peer + ", paired", "",
            f"linesift and {peer} extract each page in turn in one process pinned to one core (CPU time per call),",
            "so that the machine's other load falls on both alike.", "",
            f"| data | pages x rounds | linesift pages/s | {peer} pages/s | ratio | each round | run on (UTC) | command |",
            "|---|---|---|---|---|---|---|---|",
            f"| {run['data']} | {run['pages']} x {run['rounds']} | {speeds['linesift']:.1f} | {speeds[peer]:.1f} | "
            f"{run['ratio']:.2f}x | {rounds} | {run['run_on']} | `{run['command']}` |", ""]


def _bold_if(cell: str, bold: bool) -> str:
    return f"**{cell}**" if bold else cell


def _data_key(data: Mapping) -> str:
    return f"{data['name']} ({data['pages']} pages)"


def plot(results: list[dict], path: Path, title: str) -> bool:
    """Scatter F1 against pages/second (log scale), one point per system and input."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    points = [r for r in results if r["scores"] and r["speed"] and r["speed"]["pages_per_second"]]
    if not points:
        return False
    markers = {"html": "o", "text:html-text": "s", "text:inscriptis": "^"}
    figure, axes = plt.subplots(figsize=(9, 6))
    for input_name, marker in markers.items():
        chosen = [r for r in points if r["input"] == input_name]
        axes.scatter([r["speed"]["pages_per_second"] for r in chosen], [r["scores"]["f1"] for r in chosen], marker=marker, label=input_name)
        for r in chosen:
            axes.annotate(r["system"], (r["speed"]["pages_per_second"], r["scores"]["f1"]), fontsize=7, xytext=(4, 2), textcoords="offset points")
    axes.set_xscale("log")
    axes.set_xlabel("pages per CPU-second, one core (log scale; text inputs exclude rendering time)")
    axes.set_ylabel("word F1 (macro over pages)")
    axes.set_title(title)
    axes.grid(True, which="both", alpha=0.3)
    axes.legend(title="input")
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=120)
    plt.close(figure)
    return True


def write_report(out_dir: Path, report_path: Path, focus: Mapping) -> None:
    """Write ``report_path`` from the results in ``out_dir``; the plot covers the ``focus`` data."""
    groups: dict[str, list[dict]] = {}
    for result in load_results(out_dir):
        groups.setdefault(_data_key(result["data"]), []).append(result)
    focus_key = _data_key(focus)
    order = sorted(groups, key=lambda key: key != focus_key)
    lines = ["# Benchmark results", "", "Generated by `benchmarks/run.py`; do not edit by hand.", ""]
    plot_path = out_dir / PLOT_NAME
    if focus_key in groups and plot(groups[focus_key], plot_path, f"F1 vs speed on {focus_key}"):
        relative = Path(os.path.relpath(plot_path, report_path.parent)).as_posix()
        lines += [f"![F1 against pages per second on {focus_key}]({relative})", ""]
    if (out_dir / SOURCES_DIR).is_dir():
        lines += _sources_table(out_dir / SOURCES_DIR)
    for key in order:
        lines += _section(key, groups[key])
    lines += _paired_table(out_dir)
    lines += _loaded_table(out_dir)
    lines += [METHOD]
    report_path.parent.mkdir(parents=True, exist_ok=True)
    report_path.write_text("\n".join(lines))
