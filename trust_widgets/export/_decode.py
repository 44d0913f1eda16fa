"""Decoding the JSON columns of check-ins quickly and strictly.

At a million rows the decoding is a third of an export's time, so the usual shapes take
short cuts (the C scanner directly; plain integer lists without a JSON parser at all), and
anything unusual falls back to :func:`json.loads`. A broken value reads as missing.
Drivers that decode JSON themselves (psycopg) hand over Python values, used as they are.
"""

from __future__ import annotations

import json

_scan = json.JSONDecoder().scan_once  # the C scanner, without json.loads' Python wrapping
_NO_IDS: frozenset[int] = frozenset()


def json_value(value: object) -> object:
    """Decode one JSON value; a value a driver decoded already is returned as it is."""
    if not isinstance(value, str):
        return value
    try:
        obj, end = _scan(value, 0)
        if end == len(value):
            return obj
    except (ValueError, StopIteration):
        pass  # e.g. surrounding whitespace: let json.loads decide
    try:
        return json.loads(value)
    except ValueError:
        return None  # a broken value is treated as missing, never passed through


def ids(value: object) -> frozenset[int]:
    """Decode a JSON list of ids into a set of ints (no bools, floats or strings)."""
    if value is None or value == "[]" or value == "null":
        return _NO_IDS
    if isinstance(value, str):
        if value[:1] == "[" and value[-1:] == "]" and "_" not in value:  # int() takes 1_0
            try:  # the usual case, a plain list of integers, skips the JSON parser
                return frozenset([int(x) for x in value[1:-1].split(",")])
            except ValueError:
                pass  # not only integers (true, 1.5, "a"): JSON reads it, filtered below
        value = json_value(value)
    if not isinstance(value, list):
        return _NO_IDS
    return frozenset(v for v in value if type(v) is int)
