"""Keep every test run, kernels included, away from the user's real store."""

import os
import tempfile
from pathlib import Path

_TMP = Path(tempfile.mkdtemp(prefix="tw-tests-"))
# Set at import so that nbval's kernels, started later, inherit it.
os.environ["TRUST_WIDGETS_DB"] = f"sqlite:///{_TMP / 'notebooks.sqlite3'}"
# One BLAS thread per process: the research notebooks' model fits otherwise fight over two
# cores with each other and with the browser tests, and slow down tenfold.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
