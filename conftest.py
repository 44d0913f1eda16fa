"""Keep every test run, kernels included, away from the user's real store."""

import os
import tempfile
from pathlib import Path

_TMP = Path(tempfile.mkdtemp(prefix="tw-tests-"))
# Set at import so that nbval's kernels, started later, inherit it.
os.environ["TRUST_WIDGETS_DB"] = f"sqlite:///{_TMP / 'notebooks.sqlite3'}"
