"""Lindungi — Digital Migrant Protection Hub for Indonesia."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("lindungi")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+source"
