"""The report's captions: Jinja2 templates of reStructuredText, rendered as Snakemake does, for titles a user writes."""

import io
from pathlib import Path
from types import SimpleNamespace

import docutils.core
import jinja2
import pytest

CAPTIONS = Path(__file__).parents[1] / "workflow" / "report"


def render(caption: str, **params) -> tuple[str, list[str]]:
    """The caption's text as a reader sees it, and what docutils complained about."""
    snakemake = SimpleNamespace(
        config={"scale": "smoke", "assets": "offline", "scales": {"smoke": {"sizes": {}, "width": 0.125}}},
        wildcards=SimpleNamespace(figure="fig8"),
        params=SimpleNamespace(seeds=3, **params),
    )
    rst = jinja2.Template((CAPTIONS / caption).read_text()).render(snakemake=snakemake)
    said = io.StringIO()  # every message docutils has, from info up: a caption it reads as written has none
    doctree = docutils.core.publish_doctree(rst, settings_overrides={"report_level": 1, "warning_stream": said})
    complaints = said.getvalue().splitlines()
    return doctree.astext(), complaints


@pytest.mark.parametrize(
    "title", ["nested sets T1 in ... in Tn, |Ti| = i", "a *starred* `ticked` D_all_ title\\", "target_ name_ x_ y"]
)
def test_a_heatmap_title_reads_as_written(title):
    text, complaints = render("heatmap.rst", title=title)
    assert complaints == [] and title in text


def test_every_caption_renders_without_a_complaint():
    for caption in sorted(CAPTIONS.glob("*.rst")):
        text, complaints = render(caption.name, title="t")
        assert complaints == [], (caption.name, complaints)
        assert "{{" not in text and "}}" not in text, caption.name
