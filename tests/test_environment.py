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
    assert sorted(pip[:-1]) == sorted(deps), "environment.yml's pip list drifted from pyproject.toml"
    assert pip[-1] == "-e .[test]"
    assert {_name(d) for d in deps} >= {"torch", "torchvision", "snakemake", "seaborn", "pyarrow", "pandas"}
