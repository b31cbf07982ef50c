"""`python -m contact_segmentation`: the same as the `segments` command."""

import sys

from .cli import main

sys.exit(main())
