"""Research export: consented, shared check-ins, pseudonymised and k-anonymous by construction.

``trust-workshop export`` calls :func:`export_store`. The format is described in
``docs/research-data.md``; each export carries its own codebook and report.
"""

from __future__ import annotations

from .errors import ExportError, ExportInputError
from .kanon import couple_anonymity, k_anonymity
from .keys import default_key_path
from .report import ExportReport
from .run import DEFAULT_K, export_store

__all__ = [
    "DEFAULT_K",
    "ExportError",
    "ExportInputError",
    "ExportReport",
    "couple_anonymity",
    "default_key_path",
    "export_store",
    "k_anonymity",
]
