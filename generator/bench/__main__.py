"""`python -m generator.bench`: the benchmark (see run.py)."""

import sys

from generator.bench.run import main

sys.exit(main())
