"""to_arrow compression: lz4 / zstd bodies, same rows, bad codecs named."""

from __future__ import annotations

import pyarrow as pa
import pytest

from perspective_nb.engine.table import Table
from perspective_nb.errors import ArgumentError


@pytest.mark.parametrize("codec", ["lz4", "zstd"])
def test_compressed_streams_hold_the_same_rows_in_fewer_bytes(codec):
    t = Table({"a": list(range(2000)), "s": ["x"] * 2000}, name="t")
    view = t.view()
    plain = view.to_arrow()
    packed = view.to_arrow(compression=codec, start_row=0, end_row=2000)
    assert len(packed) < len(plain)
    assert pa.ipc.open_stream(packed).read_all().equals(pa.ipc.open_stream(plain).read_all())


def test_unknown_codec_is_refused():
    with pytest.raises(ArgumentError, match="unknown compression 'gzip'"):
        Table({"a": [1]}, name="t").view().to_arrow(compression="gzip")
