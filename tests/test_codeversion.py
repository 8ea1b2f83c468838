"""The code a rule reaches (codeversion.source_key) and what its stage computes (fingerprints.version)."""

import functools
import sys
from pathlib import Path

import pytest

from invariance import codeversion, fingerprints

SCRIPTS = Path(__file__).parents[1] / "workflow" / "scripts"


@pytest.fixture
def fake_package(tmp_path, monkeypatch):
    """A package `invariance_fake` of small modules, and a script importing from it."""
    pkg = tmp_path / "invariance_fake"
    pkg.mkdir()
    files = {
        "__init__.py": '"""The package."""\n',
        "a.py": "X = 1\n\ndef used():\n    return X\n\ndef unused():\n    return 2\n",
        "b.py": "from invariance_fake import a\n\ndef run():\n    '''Runs.'''\n    return a.used()\n",
        "c.py": "Y = 2\n",
    }
    for name, text in files.items():
        (pkg / name).write_text(text)
    script = tmp_path / "script.py"
    script.write_text("from invariance_fake.b import run\nprint(run())\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(codeversion, "PACKAGE", "invariance_fake")
    codeversion.clear_caches()

    def key(edit: tuple[str, str, str] | None = None) -> str:
        if edit:
            name, old, new = edit
            text = (pkg / name).read_text()
            assert old in text
            (pkg / name).write_text(text.replace(old, new))
        codeversion.clear_caches()
        return codeversion.source_key(str(script))

    yield key
    codeversion.clear_caches()
    for m in [m for m in sys.modules if m.startswith("invariance_fake")]:
        sys.modules.pop(m)


def test_what_the_script_reaches_counts(fake_package):
    before = fake_package()
    assert fake_package(("a.py", "X = 1", "X = 3")) != before


def test_comments_docstrings_and_unused_definitions_do_not(fake_package):
    before = fake_package()
    assert fake_package(("a.py", "X = 1", "X = 1  # a comment")) == before
    assert fake_package(("b.py", "'''Runs.'''", "'''Runs, documented at length.'''")) == before
    assert fake_package(("a.py", "def unused():\n    return 2", "def unused():\n    return 5")) == before
    assert fake_package(("b.py", "def run", "def helper():\n    return 0\n\n\ndef run")) == before
    assert fake_package(("c.py", "Y = 2", "Y = 4")) == before  # c is never imported
    package_helper = '"""The package."""\n\n\ndef helper():\n    return 1\n'
    assert fake_package(("__init__.py", '"""The package."""\n', package_helper)) == before


def test_a_module_used_as_a_value_counts_whole(fake_package):
    before = fake_package(("b.py", "return a.used()", "return getattr(a, 'used')()"))
    assert fake_package(("a.py", "return 2", "return 7")) != before


def test_top_level_statements_of_a_reached_module_count(fake_package):
    before = fake_package(("a.py", "X = 1\n", "X = 1\nprint('registered')\n"))
    assert fake_package(("a.py", "print('registered')", "print('registered twice')")) != before


def test_the_real_scripts_reach_their_own_code_only():
    reach = codeversion._Reach()
    m = codeversion._parse("__main__", SCRIPTS / "fig2.py")
    reach.scan(m, m.body)
    reach.run()
    modules = {module for module, _ in reach.parts}
    assert "invariance.figures.fig2" in modules
    assert not {"invariance.training", "invariance.transforms2d.render", "invariance.logs"} & modules


def test_a_fingerprint_is_stable_and_cached(tmp_path, monkeypatch):
    monkeypatch.setenv(fingerprints.CACHE_ENV, str(tmp_path))
    fingerprints.version.cache_clear()
    fingerprints.fingerprint.cache_clear()
    first = fingerprints.fingerprint(SCRIPTS / "probe.py", "vgg11")
    assert len(list(tmp_path.iterdir())) == 1
    calls = []

    @functools.wraps(fingerprints.probe)  # the same name: the same cache key
    def counted(variant):
        calls.append(variant)
        return "x" * 16

    monkeypatch.setitem(fingerprints.STAGES, "probe.py", counted)
    fingerprints.fingerprint.cache_clear()  # this process's memory too: the value must come from the folder
    assert fingerprints.fingerprint(SCRIPTS / "probe.py", "vgg11") == first and calls == []  # from the cache
    fingerprints.version.cache_clear()
    fingerprints.fingerprint.cache_clear()


@pytest.mark.parametrize("stage", sorted(fingerprints.STAGES))
def test_each_fingerprint_is_the_same_twice_and_differs_by_variant(stage):
    fn = fingerprints.STAGES[stage]
    variants = {
        "render_transforms2d.py": ("rotate", "blur"),
        "render_pasted.py": (None, None),
        "cifar_offline.py": (None, None),
    }.get(stage, ("resnet18", "vgg11"))
    values = [fn(v) for v in (*variants, variants[0])]
    assert values[0] == values[2]
    assert (values[0] == values[1]) == (variants[0] == variants[1])


def test_a_change_to_what_a_stage_computes_changes_its_fingerprint(monkeypatch):
    from invariance.transforms2d import render

    before = fingerprints.render_transforms2d(None)
    rotate = fingerprints.render_transforms2d("rotate")
    canvas = render.object_canvas
    monkeypatch.setattr(render, "object_canvas", lambda prototypes: canvas(prototypes, render.OBJECT_SCALE * 0.9))
    assert fingerprints.render_transforms2d(None) != before
    assert fingerprints.render_transforms2d("rotate") != rotate


def test_imports_inside_functions_and_stars_are_followed(fake_package):
    fake_package(("b.py", "from invariance_fake import a\n", ""))
    before = fake_package(("b.py", "return a.used()", "from invariance_fake.a import used\n\n    return used()"))
    assert fake_package(("a.py", "return X", "return X + 1")) != before
    before = fake_package(("b.py", "def run", "from invariance_fake.c import *  # noqa\n\n\ndef run"))
    assert fake_package(("c.py", "Y = 2", "Y = 5")) != before


def test_a_decorated_definition_counts_with_its_module(fake_package):
    before = fake_package(("a.py", "def unused():", "def register(f):\n    return f\n\n\n@register\ndef unused():"))
    assert fake_package(("a.py", "return 2", "return 3")) != before  # `register` may have kept it somewhere
    before = fake_package(("a.py", "@register\n", "@lru_cache\n"))
    assert fake_package(("a.py", "return 3", "return 4")) == before  # a cache registers nothing


def test_a_name_imported_but_not_used_by_reached_code_does_not_count(fake_package):
    """A message in a module that a reached module imports from, for code that is never reached, reruns nothing."""
    before = fake_package(
        ("b.py", "from invariance_fake import a\n", "from invariance_fake import a\nfrom invariance_fake.c import Y\n")
    )
    assert fake_package(("c.py", "Y = 2", "Y = 4")) == before  # imported, never used by run()
    before = fake_package(("b.py", "return a.used()", "return a.used() + Y"))
    assert fake_package(("c.py", "Y = 4", "Y = 5")) != before  # now used
    assert fake_package(("c.py", "Y = 5\n", "Y = 5\nprint('imported')\n")) != before  # its top level runs on import


def test_every_binding_of_a_name_counts_where_it_is_used(fake_package):
    """try/except alternatives, and a function's own import of a name the module also defines."""
    fake_package(("c.py", "Y = 2\n", "Y = 2\n\n\ndef used():\n    return 20\n"))
    try_import = (
        "try:\n    from invariance_fake.a import used\nexcept ImportError:\n    from invariance_fake.c import used\n"
    )
    before = fake_package(("b.py", "from invariance_fake import a\n", try_import))
    fake_package(("b.py", "return a.used()", "return used()"))
    before = fake_package()
    assert fake_package(("a.py", "return X", "return X + 1")) != before
    before = fake_package()
    assert fake_package(("c.py", "return 20", "return 21")) != before
    local = "def used():\n    from invariance_fake.c import used\n\n    return used()\n\n\ndef run"
    before = fake_package(("b.py", "def run", local))
    assert fake_package(("c.py", "return 21", "return 22")) != before


def test_a_module_that_imports_its_own_name_lazily_is_followed_once(fake_package):
    lazy = "def used():\n    return X\n\n\ndef lazy():\n    from invariance_fake.a import used\n\n    return used()\n"
    before = fake_package(("a.py", "def used():\n    return X\n", lazy))
    assert fake_package(("a.py", "X = 1", "X = 3")) != before
