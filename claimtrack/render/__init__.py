"""Every rendering of claimtrack's output, in one place.

What is rendered is a *view* (views.py): a `Table` of rows (segments, history), the
`Claims` of `extract`, the `Findings` of `compare`, the `Report` of `claim-report`, the
`CheckReport` of `check`. How it is rendered is a *format*: a registry entry naming the
renderer of each view it supports (formats.py). The command line offers, for each
command, the formats that support its view; a new format is one `register()` call:

    register(Format(name="html", help="an HTML page", renderers={Findings: page, ...}))
"""

from __future__ import annotations

from .registry import Format, Options, formats_for, register, render
from .views import Claims, Findings, Report, Table

__all__ = ["Claims", "Findings", "Format", "Options", "Report", "Table", "formats_for",
           "register", "render"]
