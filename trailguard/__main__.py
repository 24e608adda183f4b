"""`python -m trailguard`: the `trailguard` command, for environments whose scripts directory is not on PATH."""

import sys

from trailguard.cli import main

sys.exit(main())
