"""``python -m lindungi`` runs the command line."""

from lindungi.cli import main

main()
