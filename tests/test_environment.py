import re
import tomllib

import yaml
from conftest import REPO


def _name(req: str) -> str:
    return re.split(r"[<>=!~\[ ]", req, maxsplit=1)[0].lower()


def test_environment_yml_lists_every_package_dependency_with_the_same_pin():
    deps = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["dependencies"]
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert sorted(pip[:-2]) == sorted(deps), "environment.yml's pip list drifted from pyproject.toml"
    assert pip[-2:] == ["-c constraints.txt", "-e .[test]"]
    assert {_name(d) for d in deps} >= {"torch", "torchvision", "snakemake", "seaborn", "pyarrow", "pandas"}


def test_the_lock_pins_every_dependency_at_a_version_pyproject_allows():
    from packaging.requirements import Requirement

    pins = {}
    for line in (REPO / "constraints.txt").read_text().splitlines():
        if line and not line.startswith("#"):
            name, version = line.split("==")
            pins[name.lower().replace("_", "-")] = version
    meta = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    for dep in meta["dependencies"] + meta["optional-dependencies"]["test"]:
        req = Requirement(dep)
        name = req.name.lower().replace("_", "-")
        assert name in pins, f"{name} is not pinned in constraints.txt: run `make lock`"
        assert req.specifier.contains(pins[name]), f"{name}=={pins[name]} is outside {dep}: run `make lock`"
    assert "-c constraints.txt" in (REPO / "Makefile").read_text()  # what `make install` uses
