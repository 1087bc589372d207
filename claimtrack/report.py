"""Renderers: rows of dicts to table (tabulate), json, jsonl, csv and markdown."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from typing import Any

FORMATS = ("table", "jsonl", "json", "csv", "markdown")


def _json(rows: Sequence[dict[str, Any]], columns: Sequence[str] | None) -> str:
    return json.dumps(list(rows), ensure_ascii=False, indent=2) + "\n"


def _jsonl(rows: Sequence[dict[str, Any]], columns: Sequence[str] | None) -> str:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


def _csv(rows: Sequence[dict[str, Any]], columns: Sequence[str] | None) -> str:
    fields = list(columns or (rows[0].keys() if rows else []))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if row.get(k) is None else row.get(k) for k in fields})
    return out.getvalue()


def _tabulated(tablefmt: str) -> Callable[[Sequence[dict[str, Any]], Sequence[str] | None], str]:
    def render(rows: Sequence[dict[str, Any]], columns: Sequence[str] | None) -> str:
        from tabulate import tabulate  # imported here: it costs start-up time

        fields = list(columns or (rows[0].keys() if rows else []))
        body = [[_cell(row.get(k)) for k in fields] for row in rows]
        return tabulate(body, headers=fields, tablefmt=tablefmt, disable_numparse=True) + "\n"

    return render


def _cell(value: Any) -> str:
    if value is None:
        return ""
    text = str(value).replace("\n", " ")
    return text if len(text) <= 60 else text[:57] + "..."


_RENDERERS = {
    "table": _tabulated("simple"),
    "markdown": _tabulated("github"),
    "json": _json,
    "jsonl": _jsonl,
    "csv": _csv,
}


def render(rows: Sequence[dict[str, Any]], fmt: str, columns: Sequence[str] | None = None) -> str:
    """Rows as text in one of FORMATS; `columns` picks and orders the table/csv columns."""
    return _RENDERERS[fmt](rows, columns)
