"""Agreement values equal the reference implementations' on the same data: scikit-learn's
``cohen_kappa_score`` and the ``krippendorff`` package."""

from __future__ import annotations

import math
import random
from pathlib import Path

import krippendorff
import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score

from annotations.agreement import TOKEN, measure
from annotations.agreement_metrics import Undefined, cohen_kappa, krippendorff_alpha
from annotations.edits import Edits
from annotations.library import Library
from reader.core.importing import import_samples

PEOPLE = ("ayse", "bora", "cem")
TAGS = ("ceasefire", "mediation", "humanitarian aid")


@pytest.fixture(scope="module")
def team(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample library annotated by three people, each on most articles, at random (fixed
    seed): tags, passages of two labels with boundaries that sometimes differ, done marks."""
    folder = tmp_path_factory.mktemp("agree") / "lib"
    import_samples(Library(folder, annotator="setup"))
    rng = random.Random(7)
    ids = [a["id"] for a in Library(folder, annotator="setup").articles()]
    for who in PEOPLE:
        edits = Edits(Library(folder, annotator=who))
        for article in ids:
            if rng.random() < 0.15:
                continue  # not looked at: not done, takes no part
            text = edits.library.load_article(article).text
            for tag in TAGS:
                if rng.random() < 0.5:
                    edits.tag(article, tag)
            for label in ("demand", "actor"):
                for base in (40, 300):
                    if rng.random() < 0.6 and base + 60 < len(text):
                        shift = rng.choice((0, 0, 3))
                        edits.add_span(article, text, base + shift, base + 40, label)
            edits.set_done(article)
    return folder


def reference_matrix(library: Library, people: list[str], tag: str) -> np.ndarray:
    from annotations.records import DoneMark, Tag

    done = {(m.annotator, m.article) for m in library.records(DoneMark)}
    tagged = {(t.annotator, t.article) for t in library.records(Tag) if t.tag == tag}
    articles = sorted({a for _, a in done})
    return np.array(
        [[float((p, a) in tagged) if (p, a) in done else np.nan for a in articles] for p in people]
    )


def reference_alpha(matrix: np.ndarray) -> float | None:
    try:
        return float(krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal"))
    except ValueError:  # one value only in the domain
        return None


def test_tag_agreement_equals_krippendorff_and_scikit_learn(team: Path):
    library = Library(team, annotator="ayse")
    three = measure(library)
    assert three.annotators == list(PEOPLE)
    for tag in TAGS:
        matrix = reference_matrix(library, list(PEOPLE), tag)
        assert three.tags[tag].alpha == pytest.approx(reference_alpha(matrix))
        assert isinstance(three.tags[tag].kappa, Undefined)  # κ is for two
    two = measure(library, annotators=["ayse", "cem"])
    for tag in TAGS:
        matrix = reference_matrix(library, ["ayse", "cem"], tag)
        both = ~np.isnan(matrix).any(axis=0)
        expected = cohen_kappa_score(matrix[0, both], matrix[1, both])
        assert two.tags[tag].kappa == pytest.approx(expected)
        assert two.tags[tag].alpha == pytest.approx(reference_alpha(matrix))
        assert two.tags[tag].articles == int(both.sum())
        assert two.tags[tag].observed == pytest.approx(
            float((matrix[0, both] == matrix[1, both]).mean())
        )


def test_token_level_alpha_of_passages_equals_krippendorff(team: Path):
    from annotations.records import DoneMark, Span

    library = Library(team, annotator="ayse")
    report = measure(library, labels=["demand"])
    assert set(report.labels) == {"demand"} and not report.tags
    done = {(m.annotator, m.article) for m in library.records(DoneMark)}
    spans = [s for s in library.records(Span) if s.label == "demand"]
    columns = []
    for article in sorted({a for _, a in done}):
        coders = [p for p in PEOPLE if (p, article) in done]
        if len(coders) < 2:
            continue
        for match in TOKEN.finditer(library.load_article(article).text):
            start, end = match.span()
            columns.append(
                [
                    float(
                        any(
                            s.annotator == p
                            and s.article == article
                            and s.start < end
                            and start < s.end
                            for s in spans
                        )
                    )
                    if (p, article) in done
                    else np.nan
                    for p in PEOPLE
                ]
            )
    expected = krippendorff.alpha(
        reliability_data=np.array(columns).T, level_of_measurement="nominal"
    )
    assert report.labels["demand"].alpha == pytest.approx(expected)


def test_passage_f1_exact_and_overlap(team: Path):
    report = measure(Library(team, annotator="ayse"), annotators=["ayse", "bora"])
    demand = report.labels["demand"]
    assert 0 <= demand.f1_exact <= demand.f1_overlap <= 1  # type: ignore[operator]
    pair = [p for p in report.pairs if p.kind == "label" and p.name == "demand"]
    assert [(p.a, p.b, p.value) for p in pair] == [("ayse", "bora", demand.f1_exact)]


def test_coefficients_on_textbook_data():
    # Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", nominal example
    data = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
        [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
    ]
    units = list(zip(*data, strict=True))
    assert krippendorff_alpha(units) == pytest.approx(0.743, abs=5e-4)
    reference = np.array([[np.nan if v is None else v for v in row] for row in data])
    assert krippendorff_alpha(units) == pytest.approx(
        krippendorff.alpha(reliability_data=reference, level_of_measurement="nominal")
    )
    a, b = [0, 1, 1, 0, 1, 1, 0, 0], [0, 1, 0, 0, 1, 1, 1, 0]
    assert cohen_kappa(a, b) == pytest.approx(cohen_kappa_score(a, b))


def test_values_that_cannot_be_computed_say_why_and_are_never_nan():
    same = cohen_kappa([1, 1, 1], [1, 1, 1])
    assert isinstance(same, Undefined) and "same answer" in same.reason
    assert math.isnan(cohen_kappa_score([1, 1, 1], [1, 1, 1]))  # the reference gives NaN
    one = krippendorff_alpha([(True, True), (True, True)])
    assert isinstance(one, Undefined) and "one category" in one.reason
    assert isinstance(krippendorff_alpha([(True, None)]), Undefined)


def test_too_few_done_articles_is_a_clear_problem(tmp_path: Path):
    folder = tmp_path / "lib"
    import_samples(Library(folder, annotator="setup"))
    library = Library(folder, annotator="ayse")
    assert "two annotators" in (measure(library).problem or "")
    article = library.articles()[0]["id"]
    Edits(library).set_done(article)
    Edits(Library(folder, annotator="bora")).set_done(library.articles()[1]["id"])
    assert "nothing to compare" in (measure(Library(folder, "x")).problem or "")
