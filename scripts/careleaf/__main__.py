"""`python -m careleaf`: the `careleaf` command, for a process that has the code but not the console script."""

import sys

from careleaf.cli import main

sys.exit(main())
