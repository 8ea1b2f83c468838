"""`python -m invariance`, the same as the `invariance` command."""

import sys

from invariance.cli import main

sys.exit(main())
