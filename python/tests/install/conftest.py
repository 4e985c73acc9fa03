"""The install suite: the package as a user installs it, in a virtual environment of its own."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
