"""A module imported on first attribute access, for heavy imports that only some code paths use."""

from __future__ import annotations

import importlib
from types import ModuleType


class _LazyModule(ModuleType):
    def __getattr__(self, attr):
        module = importlib.import_module(self.__name__)
        self.__dict__.update(module.__dict__)  # later lookups skip __getattr__
        return getattr(module, attr)


def lazy_module(name: str) -> ModuleType:
    return _LazyModule(name)
