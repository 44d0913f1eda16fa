"""Write the research notebooks (notebooks/research/) from the cells below, without outputs.

Run ``python scripts/make_research_notebooks.py`` after changing a cell; commit the result.
``--demo-export`` also rewrites ``data/demo-export/`` with the real exporter, from a fresh demo
store (:func:`trust_widgets.export.demo.export_demo`; see notebooks/research/README.md).
Code cells stay thin (they import from ``trust_widgets.analysis``); markdown cells say what
each result means and what it cannot tell.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "notebooks" / "research"

# fmt: off
LOAD = """\
import os

from trust_widgets.analysis import DEMO_EXPORT, ENV_EXPORT, load_export, summarise_export

# The export to analyse: the folder in TW_EXPORT, else the bundled synthetic demo export.
EXPORT = os.environ.get(ENV_EXPORT, str(DEMO_EXPORT))
checkins = load_export(EXPORT)
summarise_export(checkins)"""

WHICH_EXPORT = """\
**Which export.** The first code cell reads the folder named by the environment variable
`TW_EXPORT`, or, without it, the synthetic demo export in `data/demo-export/` (made-up couples,
not real people). To analyse yours, start Jupyter with `TW_EXPORT=/path/to/export jupyter lab`
or put the path in that cell. An export is the folder `trust-workshop export --out DIR` writes;
these notebooks never open the workshop store, and `load_export` refuses a store file or a
database URL. See `notebooks/research/README.md`."""

PARTNER_INDEX = """\
**Partner 1 and partner 2.** `partner_index` is only the order in which the two partners joined
the couple in the app: not gender, not who was hurt, not who asked for help. The kit's dyads are
*indistinguishable*, and nothing in these notebooks gives the index a role meaning."""

TRAJECTORIES = [
    ("markdown", "intro", f"""\
# Trust over time, by partner

How did trust move, week by week, for partner 1 and for partner 2? The lines are means over
couples; the bands are 95% confidence intervals for those means.

{WHICH_EXPORT}"""),
    ("code", "load", LOAD),
    ("markdown", "roles", f"""\
## What the two lines are

{PARTNER_INDEX} So the two lines are a check, not a comparison of roles: with enough couples
they should run close together, and a gap between them is most likely chance (or says who tends
to sign up first), never a finding about roles.

**How they are made.**

- Trust is the mean of predictability, dependability and faith (0-10), on days with all three.
- Weeks count from each couple's first exported check-in (`day_index // 7`). An export has no
  calendar dates, and couples start on different days: a week is the couple's own week.
- A partner's ratings within a week are averaged first, then the mean is taken over couples and
  the band is a t interval over couples. Each couple counts once per line and week however often
  it checked in, so days of the same couple are never treated as independent (the interval is
  clustered by couple).
- Weeks with fewer than 5 couples are not drawn: too few couples for a mean worth showing."""),
    ("code", "by-partner", """\
from trust_widgets.analysis import trajectory_figure, weekly_trajectories

weekly = weekly_trajectories(checkins, by="partner_index", min_couples=5)
trajectory_figure(weekly)"""),
    ("markdown", "pooled-text", """\
## Both partners together

The same, with both partners of a couple averaged into one value per couple and week."""),
    ("code", "pooled", """\
trajectory_figure(weekly_trajectories(checkins, by=None, min_couples=5))"""),
    ("markdown", "followthrough-text", """\
## Follow-through

The share of due commitments kept (0-1), made the same way. Trust and follow-through moving
together over weeks is not evidence that one drives the other: notebook 03 asks that question
day by day."""),
    ("code", "followthrough", """\
trajectory_figure(weekly_trajectories(checkins, by="partner_index", value="rate"))"""),
    ("markdown", "limits", """\
## What this cannot tell

- **Who stays.** Couples that stop checking in drop out of later weeks. If those are the couples
  doing badly, later weeks look better than the truth (survivor bias). The table below shows how
  many couples stand behind each week.
- **Missing days are not random.** People may skip check-ins on bad days, or on good ones.
- **Averages hide couples.** Improving and declining couples can cancel out into a flat line.
  The band is about the mean over couples, not about any one couple.
- **No causes.** A rising line shows change, not what caused it: there is no control group."""),
    ("code", "couples-per-week", """\
weekly.pivot(index="week", columns="label", values="n_couples")"""),
]

SIMILARITY = [
    ("markdown", "intro", f"""\
# How alike is partners' trust?

Partners' scores are not independent: they share a history, their days and each other. The
intraclass correlation (ICC) measures how alike partners in the same couple are, compared with
people from different couples.

{WHICH_EXPORT}"""),
    ("code", "load", LOAD),
    ("markdown", "why-icc", f"""\
## Why an ICC, and not a correlation of partner 1 with partner 2

{PARTNER_INDEX} So any measure of similarity must give the same answer when 1 and 2 are
swapped in any couple. Pearson's r between "partner 1" and "partner 2" does not. The one-way
ICC(1) (Shrout & Fleiss 1979) does: it compares the spread of couple means (between couples,
MSB) with the spread of partners around their couple's mean (within couples, MSW),
ICC = (MSB - MSW) / (MSB + MSW) for pairs. For dyads this is the ANOVA intraclass correlation
of Kenny, Kashy & Cook (2006, *Dyadic Data Analysis*, ch. 2). Their double-entry (pairwise)
correlation, Pearson's r with every couple entered both ways round, is printed alongside and
should be close to it.

ICC near 0: partners are no more alike than two people from different couples. Near 1: couples
differ, partners within a couple hardly do. Below 0: partners differ more than chance would
make them (it happens, e.g. when one partner's gain is the other's loss)."""),
    ("markdown", "person-text", """\
## Stable similarity: each partner's mean trust

Each partner's mean trust over all their check-ins (partners with at least 7 scored days), one
pair per couple. The interval inverts the F test of MSB / MSW; it assumes couples are
independent of each other, which they are. Each dot is a couple. Which axis a partner lands on
is only the order of joining: the mirrored picture means exactly the same."""),
    ("code", "person", """\
from trust_widgets.analysis import partner_icc, partner_scatter_figure, person_means

similarity = partner_icc(checkins, unit="person", min_days=7)
print(similarity.describe())
partner_scatter_figure(person_means(checkins, min_days=7), similarity)"""),
    ("markdown", "day-text", """\
## Day by day

Same-day pairs: both partners' trust on the same `day_index`. The raw ICC mixes the stable
differences between couples with daily co-movement. Centring each partner on their own mean
first (`within=True`) leaves only the question "do partners' good and bad days coincide?".

Days of the same couple are not independent, so the F-based interval would be far too narrow.
These intervals resample whole couples instead (a percentile bootstrap with a fixed seed, so
the numbers reproduce) and come without a p-value."""),
    ("code", "day", """\
daily = partner_icc(checkins, unit="day")
co_movement = partner_icc(checkins, unit="day", within=True)
print(daily.describe())
print(co_movement.describe())"""),
    ("markdown", "limits", """\
## What this cannot tell

- **Why partners are alike.** A shared situation, influence on each other, and who chose whom
  all produce similarity; the ICC does not tell them apart.
- **Shared time.** Partners share their weeks, and a couple's trajectory moves both of them;
  mean trust over different periods also mixes early and late weeks, and couples observed for
  different lengths are compared as if alike.
- **Level is not agreement.** Alike trust levels say nothing about agreeing on what happened.
- **Few couples, wide intervals.** Read the interval, not the point.
- **On the demo data**, partners share the couple's intercept (SD 0.8) and its trajectory, each
  has their own intercept (SD 0.6), and each partner's follow-through feeds the other's trust
  (docs/demo-data.md), so a clearly positive ICC is expected there."""),
]

APIM = [
    ("markdown", "intro", f"""\
# Does keeping commitments build trust the next day? An APIM

When a partner keeps their commitments on a day, is their own trust higher the next day (the
**actor effect**), and is their partner's (the **partner effect**)? The Actor-Partner
Interdependence Model (APIM; Kenny, Kashy & Cook 2006) estimates both at once, with the couple
as a level of the data (Bolger & Laurenceau 2013, ch. 8: days within persons within couples).

{WHICH_EXPORT}"""),
    ("code", "load", LOAD),
    ("markdown", "lag-text", """\
## Next-day rows: how the lag is built

One row per partner *i* and outcome day *t*+1, with

- **trust**: *i*'s trust on day *t*+1 (mean of predictability, dependability, faith);
- **actor rate**: *i*'s follow-through on day *t*, commitments_kept / commitments_due;
- **partner rate**: the other partner's follow-through on day *t* (same couple, same day).

A row exists only when all three exist: *i* checked in on *t* and on *t*+1, the other partner
checked in on *t*, and each had something due on *t* (a rate of 0/0 is not a rate). A missing
day is never bridged by an older one: no check-in on *t*, no row for *t*+1. "Day" is
`day_index`, which counts days from the couple's first exported check-in and is the same for
both partners, so "the same day" and "the next day" hold although the export has no dates.

Each rate is also split into the person's mean over these rows and the day's deviation from it
(`actor_within`, `partner_within`)."""),
    ("code", "lag", """\
from trust_widgets.analysis import lagged_dyads

dyads = lagged_dyads(checkins)
print(f"{len(dyads)} next-day rows from {len(checkins)} check-ins of "
      f"{dyads['partner'].nunique()} partners in {dyads['couple'].nunique()} couples")
columns = ["day_index", "trust", "actor_rate", "partner_rate"]
dyads[columns].describe().round(2)"""),
    ("markdown", "model-text", """\
## The model

trust(*i*, *t*+1) = b0 + **a** · (actor rate − *i*'s mean) + **p** · (partner rate − its mean
for *i*) + a_b · *i*'s mean rate + p_b · partner's mean rate + g(*i*) · s(*t*+1)
+ u_couple + v_person + e

- **a** and **p**, the actor and partner effects, are *within-person* effects: a day is compared
  with the same person's usual days. The person means (a_b, p_b) take up stable differences
  between people (those who keep more commitments may trust more for other reasons), so a and p
  come only from day-to-day variation. The between-person terms rest on few people and are
  reported, not interpreted.
- **g(*i*) · s(*t*)**: each person's own slope on a time trend. Trust and follow-through can drift
  together (an improving couple keeps more commitments *and* trusts more); without a trend term
  that drift would be credited to the effects. On the demo data, leaving it out biases both
  effects upwards by about 0.2 (docs/demo-data.md). s(t) = 1 − exp(−t / 45) is the demo's
  known shape; with real data the shape is unknown, so the sensitivity table below compares a
  linear trend and none.
- **u_couple**: a random intercept per couple (MixedLM `groups=couple`); **v_person**: a
  variance component for each partner within the couple.
- Fitted by REML with statsmodels `MixedLM`; Wald 95% intervals. Optimiser warnings, if any,
  are reported in the printout, not hidden."""),
    ("code", "fit", """\
from trust_widgets.analysis import fit_apim

result = fit_apim(dyads, trend="settle")
print(result.describe())
result.table.round(3)"""),
    ("markdown", "figure-text", """\
Units: points of next-day trust (0-10) per unit of follow-through rate, i.e. the difference
between a day with all due commitments kept and a day with none. On the bundled demo export
the diamonds mark the values planted in the simulation (actor 1.5, partner 1.0); for your own
export there are none."""),
    ("code", "figure", """\
from pathlib import Path

from trust_widgets.analysis import PLANTED, apim_figure

is_demo = Path(EXPORT).resolve() == DEMO_EXPORT.resolve()
apim_figure(result, reference=PLANTED if is_demo else None)"""),
    ("markdown", "sensitivity-text", """\
## Sensitivity to the trend term

The same model with a linear trend per person, and with none. If the effects move a lot
between rows, the conclusion depends on how time is modelled: say so when reporting. On the
demo data, "none" shows the upward bias described above."""),
    ("code", "sensitivity", """\
import pandas as pd

fits = {trend: fit_apim(dyads, trend=trend) for trend in ("settle", "linear", "none")}
pd.DataFrame({trend: fit.table["estimate"] for trend, fit in fits.items()}).loc[
    ["actor", "partner"]
].round(2)"""),
    ("markdown", "limits", """\
## What the estimates mean, and their limits

- **Indistinguishable dyads.** `partner_index` is only the order of joining, so one actor and
  one partner effect are estimated for everyone, and that is the right model here, not a
  compromise. A study with real roles
  (say, the partner who broke trust and the partner who was hurt) would want the
  *distinguishable* APIM: two intercepts, role-specific effects, and a residual variance per
  role with a residual correlation between partners. Role-specific fixed effects fit in
  MixedLM, but MixedLM has no per-role residual variance and no residual correlation structure,
  so that model needs another tool: R's nlme (`gls` with `varIdent` and `corCompSymm`), or a
  Bayesian model.
- **Days close together.** MixedLM has no autocorrelated (AR(1)) residuals. If days stay alike
  beyond the trend term, the intervals are somewhat too narrow.
- **Not an experiment.** Follow-through was not assigned at random. The lag rules out trust on
  *t*+1 causing follow-through on *t*, but not a third thing (a good week, less stress) moving
  both, nor trust on *t* raising both follow-through on *t* and, by persistence, trust on
  *t*+1 (adding yesterday's trust as a predictor would probe that). Read the effects as
  associations in time, not causes.
- **Missing days.** A row needs check-ins on consecutive days; people who check in irregularly
  contribute fewer rows, and if they differ, the estimates describe regular check-in days.
- **Whole-number ratings.** Ratings are rounded and held between 0 and 10, which pulls effects
  slightly towards zero: on the demo data by a few hundredths of a point."""),
]

# fmt: on

NOTEBOOKS = {
    "01_trajectories.ipynb": ("Trust over time, by partner", TRAJECTORIES),
    "02_partner_similarity.ipynb": ("How alike is partners' trust?", SIMILARITY),
    "03_apim.ipynb": ("Actor and partner effects of follow-through", APIM),
}


def build(cells: list[tuple[str, str, str]], title: str) -> nbformat.NotebookNode:
    """Return a notebook of ``(kind, id, source)`` cells; stable ids keep diffs quiet."""
    made = []
    for kind, cell_id, source in cells:
        cell = new_code_cell(source) if kind == "code" else new_markdown_cell(source)
        cell.id = cell_id
        made.append(cell)
    return new_notebook(
        cells=made,
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "language_info": {"name": "python"},
            "title": f"Trust Workshop research: {title}",
        },
    )


def write_all(out: Path = OUT) -> list[Path]:
    """Write every research notebook into ``out``; return their paths."""
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, (title, cells) in NOTEBOOKS.items():
        nbformat.write(build(cells, title), out / name)
        paths.append(out / name)
    return paths


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Write the research notebooks.")
    parser.add_argument("--demo-export", action="store_true",
                        help="also rewrite data/demo-export/ with the real exporter")  # fmt: skip
    args = parser.parse_args(argv)
    for path in write_all():
        print(path.relative_to(ROOT))
    if args.demo_export:
        from trust_widgets.export.demo import DEMO_SIZE, export_demo

        target = ROOT / "data" / "demo-export"
        shutil.rmtree(target, ignore_errors=True)
        report = export_demo(target, **DEMO_SIZE)
        print(f"{target.relative_to(ROOT)}: {report.rows_out} check-ins")


if __name__ == "__main__":
    main()
