"""The README's Python client example runs as written against a real sidecar."""

from __future__ import annotations

import contextlib
import io
import re

from tests.conftest import REPO


def test_readme_python_client_example(sidecar):
    readme = (REPO / "README.md").read_text()
    [snippet] = re.findall(r"```python\n(.*?)```", readme, flags=re.S)
    assert "127.0.0.1:50051" in snippet

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(snippet.replace("127.0.0.1:50051", f"127.0.0.1:{sidecar.sidecar.port}"), {})

    assert out.getvalue().startswith("ALLOW_EXTERNAL hosted-eu ['personal data (PII) of a caller in EU")
