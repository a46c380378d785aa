"""``python -m tone``: the same command line as the ``tone`` console script."""
from .cli import main

main()
