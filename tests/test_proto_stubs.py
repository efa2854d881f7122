"""The committed gRPC stubs match proto/residency/v1/residency.proto."""

import subprocess
import sys

from tests.conftest import REPO


def test_generated_stubs_are_fresh():
    result = subprocess.run(
        [sys.executable, "proto/generate.py", "--check"], cwd=REPO, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_zero_action_means_unspecified():
    from service.api import residency_pb2

    assert residency_pb2.Action.Name(0) == "ACTION_UNSPECIFIED"
    assert residency_pb2.Decision().action == residency_pb2.ACTION_UNSPECIFIED
