import sys
import textwrap

from invariance.codeversion import code_version, module_closure


def test_closure_follows_imports_transitively():
    closure = module_closure("invariance.transforms2d.render")
    assert "invariance.transforms2d.categories" in closure
    assert "invariance.seeding" in closure
    assert "invariance.training" not in closure


def test_plotting_and_training_hash_different_code():
    assert "invariance.training" not in module_closure("invariance.figures.fig2")
    assert "invariance.figures.fig2" not in module_closure("invariance.training")
    assert code_version("invariance.figures.fig2") != code_version("invariance.training")


def test_an_edit_changes_the_version_of_its_importers_only(tmp_path, monkeypatch):
    pkg = tmp_path / "invariance_fake"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("X = 1\n")
    (pkg / "b.py").write_text("from invariance_fake import a\n")
    (pkg / "c.py").write_text("Y = 2\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr("invariance.codeversion.PACKAGE", "invariance_fake")
    v_b, v_c = code_version("invariance_fake.b"), code_version("invariance_fake.c")
    (pkg / "a.py").write_text(textwrap.dedent("X = 2  # an edit\n"))
    code_version.cache_clear()
    module_closure.cache_clear()
    assert code_version("invariance_fake.b") != v_b
    assert code_version("invariance_fake.c") == v_c
    code_version.cache_clear()
    module_closure.cache_clear()
    sys.modules.pop("invariance_fake", None)


def test_a_scripts_own_imports_count(tmp_path, monkeypatch):
    pkg = tmp_path / "invariance_fake2"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("X = 1\n")
    script = tmp_path / "script.py"
    script.write_text("from invariance_fake2.a import X\nprint(X)\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr("invariance.codeversion.PACKAGE", "invariance_fake2")
    before = code_version(files=(str(script),))
    (pkg / "a.py").write_text("X = 2  # an edit\n")
    code_version.cache_clear()
    module_closure.cache_clear()
    assert code_version(files=(str(script),)) != before
    code_version.cache_clear()
    module_closure.cache_clear()
    sys.modules.pop("invariance_fake2", None)
