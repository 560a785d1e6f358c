"""``python -m simulator``: the same command line as the ``simulator`` script."""

from simulator.cli import main

raise SystemExit(main())
