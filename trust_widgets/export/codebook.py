"""``codebook.md``: what every column means and how the export was made anonymous."""

from __future__ import annotations

from collections.abc import Sequence

from ..instrument import DEFAULT_KEY, InstrumentError, load_instrument
from .fields import RATING_ITEMS, SORT_ORDER, TRUST_ITEMS, Field
from .report import ExportReport

CODEBOOK_TITLE = "# Codebook: Trust Workshop Kit research export"


def _variables(fields: Sequence[Field]) -> list[str]:
    rows = [
        "| column | type | unit | allowed values | meaning |",
        "| --- | --- | --- | --- | --- |",
    ]
    for f in fields:
        c = f.constraints
        allowed = []
        if "minimum" in c and "maximum" in c:
            allowed.append(f"{c['minimum']}–{c['maximum']}")
        elif "minimum" in c:
            allowed.append(f"≥ {c['minimum']}")
        if "pattern" in c:
            allowed.append(f"`{c['pattern']}`".replace("|", "\\|"))
        allowed.append("required" if c.get("required") else "may be empty")
        rows.append(
            f"| `{f.name}` | {f.type} | {f.unit or ''} | {'; '.join(allowed)} | {f.description} |"
        )
    return rows


def _instruments(report: ExportReport) -> list[str]:
    lines = []
    for key in report.instrument_versions or {DEFAULT_KEY: 0}:
        try:
            inst = load_instrument(key)
        except (InstrumentError, ValueError):
            lines.append(f"- `{key}`: its data dictionary is not in this kit's data/instruments.")
            continue
        lines.append(f"- `{key}`: {inst.title}. Items:")
        for item in inst.items:
            label = f" “{item.label}”" if key == DEFAULT_KEY else ""  # licensed wording stays out
            lines.append(f"  - `{item.name}` ({item.min}–{item.max}){label}")
        if inst.reverse_scored:
            lines.append(f"  - Reverse-scored items: {', '.join(inst.reverse_scored)}.")
    return lines


def _weekday(report: ExportReport) -> list[str]:
    """The weekday trade-off, in words: what ``--weekday`` releases, or what is left without it."""
    if "weekday" in report.opt_in_columns:
        return [
            "- `weekday` (added with `--weekday`) is the ISO weekday of the real check-in day, "
            "1 = Monday … 7 = Sunday. A known trade-off: it releases each check-in's real "
            "weekday, and with `day_index` the weekday of each couple's first check-in, which "
            "`commitments_due` already half-reveals (commitments for weekdays are not due on "
            "Saturday and Sunday). It never releases a calendar date.",
        ]
    return [
        "- The weekday is not a column of this export (`--weekday` adds it). `commitments_due` "
        "half-reveals it: commitments for weekdays are not due on Saturday and Sunday, so the "
        "two days of a couple's week on which they dip are probably its weekend.",
    ]


def codebook(report: ExportReport) -> str:
    """Return the codebook for an export described by ``report``."""
    k, kc = report.k_requested, report.k_couples_requested
    return "\n".join(
        [
            CODEBOOK_TITLE,
            "",
            "One row per partner per day on which that partner checked in and **shared** the "
            "check-in, for couples in which **both** partners currently consent to research. Days "
            "without a check-in have no row (they are missing, not zero). Files: `checkins.csv` "
            "and the same rows as Parquet in `checkins/workshop=W-…/` (Hive partitioning), "
            "`datapackage.json` (Frictionless Data Package), `report.md`/`report.json` (counts). "
            f"Rows are sorted by {', '.join(SORT_ORDER)}.",
            "",
            "## Variables",
            "",
            *_variables(report.fields),
            "",
            "Derived measures (not stored, to keep one source): **trust** = mean of "
            f"{', '.join(TRUST_ITEMS)}; **follow-through rate** = commitments_kept / "
            "commitments_due (undefined when nothing is due). `anxiety` is not reversed: "
            "higher means more anxious.",
            "",
            "## Instruments",
            "",
            "Every row carries `instrument_version`. The columns "
            f"{', '.join(RATING_ITEMS)} hold the item of that name, as given (0–10); an instrument "
            "with other items or ranges leaves a column empty rather than rescaling it.",
            "",
            *_instruments(report),
            "",
            "## Pseudonyms and days",
            "",
            "- `workshop`, `couple` and `partner` are keyed pseudonyms: the first 16 hex "
            "characters of HMAC-SHA256 under a secret key that stays with whoever ran the "
            "export (never in the export). Without the key they cannot be linked back to the "
            "store. With the same key a later export gives the same pseudonyms, so exports "
            f"can be joined over time (report key fingerprint `{report.key_fingerprint}`). "
            "Pseudonyms are unique across stores too, so exports from several workshops can "
            "be pooled.",
            "- Couples using the kit at home (no workshop) share one workshop pseudonym, that of "
            "'home'.",
            "- `partner_index` is 1 or 2 in the order the partners joined. Dyads are "
            "**indistinguishable**: there is no role (such as who broke the trust). Treat "
            "occasions within partners within couples (Kenny, Kashy & Cook 2006; Bolger & "
            "Laurenceau 2013, ch. 8).",
            "- No calendar date is exported. Time is `day_index`, days since the couple's first "
            "exported check-in, the same for both partners: intervals and order hold within a "
            "couple; calendar dates, seasons and the time between couples are not in the export.",
            *_weekday(report),
            "",
            "## Commitments",
            "",
            "Only commitments the partner **shared** are counted (a private commitment is never "
            "counted, not even as a number). Daily and weekday commitments count on each check-in "
            "day they are due. A weekly commitment counts once per ISO week in which the partner "
            "checked in: on the first day that week it was marked kept, else on the week's last "
            "check-in day (the current week only once its Sunday has come). Per-week sums "
            "therefore equal the follow-through couples see in step 6. A paused commitment stops "
            "counting after the day it was paused.",
            "",
            "## Consent and what is never exported",
            "",
            "- A partner's latest consent record decides: granted and not withdrawn. A withdrawn "
            "or declined consent, or none, leaves the partner out, and a couple is exported only "
            "when **both** partners consent.",
            "- Never exported: private check-ins, anything written in words (statements, "
            "reflections, boundaries, agreements, commitment titles, notes, small wins), "
            "safety-check answers, names, access tokens, internal ids, creation times, and "
            "made-up demo workshops (unless the report says they were included).",
            "",
            "## Quasi-identifiers and k-anonymity",
            "",
            "- The kit collects no age, gender, relationship length or location beyond the region "
            "of a partner's help-resource list. The quasi-identifiers are therefore **workshop** "
            "and **region** (the `quasiIdentifiers` property in datapackage.json).",
            f"- k-anonymity (k = {k}) is counted over **partners (people), not "
            f"rows**: every combination of workshop and region shown covers at least {k} "
            "partners, however many days each has.",
            "- Rows also name the couple, so a couple is seen as a whole: its **couple pattern** "
            "is its workshop and the regions shown for its exported partners (for example "
            "`intl` + `us`, or `us` alone when one partner shared nothing). Every couple "
            f"pattern is shared by at least {kc} couples (⌈k/2⌉, never fewer than 2), so a "
            "couple cannot be singled out by knowing both partners' regions; and no "
            "(workshop, region) group is a single couple. `partner_index` (join order) is not "
            "treated as a quasi-identifier.",
            f"- To reach both, a region held by fewer than {k} partners of a workshop is shown "
            f"as `*` (with the next smallest regions until the `*` group has {k}); then, while "
            f"a couple pattern has fewer than {kc} couples, the smallest region it shows joins "
            "`*`; couples whose pattern is all `*` and still too rare are left out; a workshop "
            f"with fewer than {k} exported partners is left out entirely. This export: achieved "
            f"k = {report.k_achieved}, smallest couple pattern {report.k_couples_achieved}, "
            f"{report.partners_region_generalised} regions generalised, "
            f"{report.workshops_suppressed} workshops and {report.couples_suppressed} further "
            f"couples ({report.checkins_suppressed} rows) suppressed.",
            f"- The report shows no count of 1 to {k - 1} people (or check-ins) who were not "
            "exported (private check-ins, declined, withdrawn, outdated or missing consent), "
            "nor a total it could be worked out from: such counts are null in report.json and "
            "`hidden` in report.md.",
            "",
        ]
    )
