"""Figures as the median of the runs with their range; the printed table and the JSON."""

from __future__ import annotations

import json
import statistics
from pathlib import Path

LOADED = (
    ("healthz", "/healthz"),
    ("module", "lesson module page, logged in"),
    ("course", "course page, logged in"),
    ("dashboard_institution", "dashboard, institution nearest 2,000"),
    ("dashboard_programme", "dashboard, whole programme"),
    ("users_first", "admin user list, first page"),
    ("users_deep", "admin user list, deep page"),
    ("users_search", "admin user list, search"),
    ("certificate_pdf", "certificate PDF"),
    ("verify", "/verify/<code>"),
)
DOWNLOADS = (
    ("export_csv", "largest report table, CSV"),
    ("export_xlsx", "largest report table, XLSX"),
    ("cohort_zip", "certificates zip of the largest cohort"),
)


def summarise(runs: list[dict]) -> dict:
    """{metric: {median, min, max}} over the runs, for every numeric metric."""
    names = [
        k for k, v in runs[0].items() if isinstance(v, int | float) and not isinstance(v, bool)
    ]
    return {
        name: {
            "median": statistics.median(run[name] for run in runs),
            "min": min(run[name] for run in runs),
            "max": max(run[name] for run in runs),
        }
        for name in names
    }


def figure(runs: list[dict], **extra) -> dict:
    return {"runs": runs, "summary": summarise(runs), **extra}


def _spread(summary: dict, metric: str, digits: int = 1) -> str:
    found = summary.get(metric)
    if found is None:
        return "-"
    if found["min"] == found["max"]:
        return f"{found['median']:,.{digits}f}"
    return f"{found['median']:,.{digits}f} [{found['min']:,.{digits}f}–{found['max']:,.{digits}f}]"


def table(result: dict) -> str:
    """The figures as text: median of the runs, [range] when they differ."""
    meta, figures = result["meta"], result["figures"]
    lines = [
        f"make bench: {meta['db']} ({meta['database_version']}), {meta['size']:,} participants, "
        f"{meta['runs']} runs of {meta['seconds']} s, {meta['clients']} clients, "
        f"{meta['generator']}, gunicorn {meta['workers']} sync workers; "
        f"{meta['cpus']} CPUs, load average {meta['load_before']:.1f} before, "
        f"{meta['load_after']:.1f} after",
        "Settings changed for the run: " + "; ".join(meta["settings_changed"]),
        "Figures are the median of the runs, [min–max] when they differ.",
        "",
        f"{'page':<40}{'req/s':>26}{'p50 ms':>30}{'p95 ms':>30}{'errors':>8}",
    ]
    for name, label in LOADED:
        found = figures.get(name)
        if found is None:
            lines.append(f"{label:<40}{'not measured':>26}")
            continue
        summary = found["summary"]
        lines.append(
            f"{label:<40}{_spread(summary, 'rate'):>26}{_spread(summary, 'p50'):>30}"
            f"{_spread(summary, 'p95'):>30}{sum(r['errors'] for r in found['runs']):>8}"
        )
    fallback = sorted(
        name
        for name, found in figures.items()
        if any(run.get("generator") == "python" for run in found["runs"])
    )
    if meta["generator"] == "wrk" and fallback:
        lines.append(f"  too slow for wrk's window, measured by the Python generator: {fallback}")
    for name in ("module", "course"):
        found = figures.get(f"ratio_{name}")
        if found is not None:
            lines.append(f"  {name} / healthz req/s: {_spread(found['summary'], 'ratio', 3)}")
    if "users_deep" in figures:
        lines.append(
            f"  deep page: {figures['users_deep']['path']} ({figures['users_deep']['how']})"
        )
    quiz = figures.get("quiz_submission")
    if quiz is not None:
        summary = quiz["summary"]
        lines.append(
            f"quiz submission (answers POST): p50 {_spread(summary, 'p50')} ms, "
            f"p95 {_spread(summary, 'p95')} ms, {_spread(summary, 'submissions', 0)} "
            f"submissions per run, {sum(r['errors'] for r in quiz['runs'])} errors"
        )
    lines.append("")
    lines.append(f"{'download':<40}{'ms':>26}{'bytes':>30}")
    for name, label in DOWNLOADS:
        found = figures.get(name)
        if found is None:
            lines.append(f"{label:<40}{'not measured':>26}")
            continue
        lines.append(
            f"{label:<40}{_spread(found['summary'], 'milliseconds', 0):>26}"
            f"{_spread(found['summary'], 'bytes', 0):>30}"
        )
        if found.get("note"):
            lines.append(f"  {found['note']}")
    lines += ["", _queries(result["queries"], meta), ""]
    rss = result["rss_mb"]
    lines.append(
        "RSS per gunicorn worker after the run: "
        + ", ".join(f"{mb:.0f} MB" for mb in rss["workers"])
    )
    wire = result["wire"]
    lines.append(
        f"Lesson page on the wire: {wire['plain']['body']:,} bytes uncompressed, "
        f"{wire['compressed']['body']:,} bytes with Accept-Encoding: gzip, br "
        f"(Content-Encoding: {wire['compressed']['encoding'] or 'none'}); headers "
        f"{wire['plain']['headers']:,} and {wire['compressed']['headers']:,} bytes"
    )
    return "\n".join(lines)


def _queries(queries: dict, meta: dict) -> str:
    small = meta["size_tenth"]
    lines = [f"{'SQL statements per request':<40}{meta['size']:>10,}{small:>10,}"]
    for name, counts in queries.items():
        flag = "" if counts["equal"] else "   <- DIFFERENT"
        big = "-" if counts["size"] is None else counts["size"]
        little = "-" if counts["tenth"] is None else counts["tenth"]
        lines.append(f"{name:<40}{big:>10}{little:>10}{flag}")
    return "\n".join(lines)


def write(result: dict, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    meta = result["meta"]
    path = folder / f"{meta['db']}-{meta['size']}-{meta['stamp']}.json"
    path.write_text(json.dumps(result, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path
