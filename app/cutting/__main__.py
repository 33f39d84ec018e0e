"""``python -m app.cutting IN.json``: see app.cutting.cli."""
import sys

from .cli import main

sys.exit(main())
