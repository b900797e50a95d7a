"""Every group of pages, in the order they are mounted: the public pages, login and the
dashboard, then each ``*_pages`` module of this package (so a new group of pages is a new
module, with no shared list to edit)."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

from fastapi import APIRouter


def routers() -> list[APIRouter]:
    """The pages' routers (imported here, late, because they import the app's helpers)."""
    from lindungi.web import console, login, public

    found = [public.router, login.router, console.router]
    for module in sorted(pkgutil.iter_modules([str(Path(__file__).parent)]), key=lambda m: m.name):
        if module.name.endswith("_pages"):
            pages = importlib.import_module(f"lindungi.web.{module.name}")
            found.append(pages.router)
    return found
