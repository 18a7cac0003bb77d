"""Agreement as rich tables, for ``reader agreement`` and the agreement screen: cells are Text
(names are untrusted: never markup), coefficients coloured by Krippendorff's thresholds."""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from annotations.agreement import AgreementReport
from annotations.agreement_metrics import Undefined, Value
from annotations.sanitize import strip_controls

RELIABLE, TENTATIVE = 0.8, 0.667


@dataclass(frozen=True)
class Styles:
    """How good, fair and poor values and the dim notes look (the app passes its theme's)."""

    good: str = "green"
    fair: str = "yellow"
    poor: str = "red"
    dim: str = "dim"


def cell(value: Value, styles: Styles, *, coded: bool = True) -> Text:
    if isinstance(value, Undefined):
        return Text("–", style=styles.dim)
    style = styles.good if value >= RELIABLE else styles.fair if value >= TENTATIVE else styles.poor
    return Text(f"{value:.3f}", style=style if coded else "")


def tag_table(report: AgreementReport, styles: Styles, title: str = "Tags") -> Table:
    """κ, α, observed agreement and articles compared, per tag."""
    table = Table("tag", "κ", "α", "observed", "articles", title=title)
    for name, tag in report.tags.items():
        table.add_row(
            Text(strip_controls(name)),
            cell(tag.kappa, styles),
            cell(tag.alpha, styles),
            cell(tag.observed, styles, coded=False),
            str(tag.articles),
        )
    return table


def agreement_tables(report: AgreementReport, styles: Styles | None = None) -> RenderableType:
    """Per tag, per label and (more than two annotators) per pair, with a legend."""
    styles = styles or Styles()
    parts: list[RenderableType] = [
        Text(
            f"{report.articles} articles compared, marked done by two or more of: "
            + strip_controls(", ".join(report.annotators))
        )
    ]
    if report.tags:
        parts.append(tag_table(report, styles))
    if report.labels:
        table = Table("label", "F1 exact", "F1 overlap", "α tokens", "articles", title="Labels")
        for name, label in report.labels.items():
            table.add_row(
                Text(strip_controls(name)),
                cell(label.f1_exact, styles),
                cell(label.f1_overlap, styles),
                cell(label.alpha, styles),
                str(label.articles),
            )
        parts.append(table)
    several = len(report.annotators) > 2
    if report.pairs and several:
        parts.append(_pair_matrix(report, styles))
    for reason in sorted({v.reason for v in _values(report, several) if isinstance(v, Undefined)}):
        parts.append(Text(f"– cannot be computed: {reason}", style=styles.dim))
    legend = Text()
    legend.append("α, κ, F1: ", style=styles.dim)
    legend.append(f"≥ {RELIABLE} reliable", style=styles.good)
    legend.append("  ")
    legend.append(f"≥ {TENTATIVE} tentative", style=styles.fair)
    legend.append("  ")
    legend.append("below: poor", style=styles.poor)
    parts.append(legend)
    return Group(*parts)


def _pair_matrix(report: AgreementReport, styles: Styles) -> Table:
    """One row per tag and label, one column per pair of annotators: κ for a tag, exact F1
    for a label."""
    pairs = list(dict.fromkeys((p.a, p.b) for p in report.pairs))
    table = Table("", title="Pairs (κ per tag, exact F1 per label)")
    for a, b in pairs:
        table.add_column(Text(strip_controls(f"{a}·{b}")), justify="right")
    rows: dict[tuple[str, str], dict[tuple[str, str], Value]] = {}
    for pair in report.pairs:
        rows.setdefault((pair.kind, pair.name), {})[(pair.a, pair.b)] = pair.value
    for (kind, name), values in rows.items():
        cells = [cell(values[p], styles) if p in values else Text("") for p in pairs]
        table.add_row(Text(strip_controls(f"{kind} {name}")), *cells)
    return table


def _values(report: AgreementReport, pairs: bool) -> list[Value]:
    values: list[Value] = [p.value for p in report.pairs] if pairs else []
    for tag in report.tags.values():
        values += [tag.kappa, tag.alpha]
    for label in report.labels.values():
        values += [label.f1_exact, label.f1_overlap, label.alpha]
    return values
