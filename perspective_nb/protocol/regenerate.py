"""Regenerate ``perspective_pb2.py`` (and its ``.pyi`` stub) from ``perspective.proto``.

Run ``python -m perspective_nb.protocol.regenerate`` after editing the
schema; the generated modules are committed so installing the package needs
no protobuf compiler. Needs ``grpcio-tools`` (a development dependency).

This module imports nothing from perspective_nb.
"""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path

HERE = Path(__file__).resolve().parent


def regenerate() -> int:
    """Run protoc on ``perspective.proto``; return its exit status."""
    from grpc_tools import protoc  # development-only dependency

    include = resources.files("grpc_tools") / "_proto"
    args = [
        "protoc",
        f"-I{HERE}",
        f"-I{include}",
        f"--python_out={HERE}",
        f"--pyi_out={HERE}",
        str(HERE / "perspective.proto"),
    ]
    return protoc.main(args)


if __name__ == "__main__":
    sys.exit(regenerate())
