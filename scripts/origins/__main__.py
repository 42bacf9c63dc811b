import sys

from origins.cli import main

sys.exit(main())
