"""python -m deportgraph."""

from deportgraph.cli import main

main()
