"""Module dependencies declared at the top of a module, loaded on first use.

``translate --help`` and ``translate stats`` should not pay for the check signals, the
Markdown parser, the engines and the web page. Instead of imports hidden inside function
bodies, the CLI names every stage module it uses at its top with :func:`lazy_module`; the
module is executed the first time one of its attributes is read (the standard library's
:class:`importlib.util.LazyLoader`). ``tests/test_layout.py`` reads these declarations
with the ordinary imports when it checks the import graph.
"""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType


def lazy_module(name: str) -> ModuleType:
    """The module ``name``, executed when first used (at once if it is already imported)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:  # pragma: no cover - a packaging error
        raise ImportError(f"no module named {name!r}", name=name)
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    return module
