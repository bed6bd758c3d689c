"""Window columns on the wire: ViewConfig.windows and GetFeaturesResp.window_aggregates."""

from __future__ import annotations

import pytest

from perspective_nb.errors import ConfigError
from perspective_nb.protocol import pb
from perspective_nb.protocol.features import features_response
from perspective_nb.protocol.view_config import decode_view_config, encode_view_config

# A TableMakeViewReq as perspective-python 5.6.1's client encodes
# view(windows={"w3": {"column": "d", "aggregate": "sum", "cumulative": True},
#               "w": {..., "partition_by": ["s"], "order_by": ["d", "desc"], "rows": 10}})
_FROM_5X = bytes.fromhex(
    "5a100a027733120a1201641a0373756d40005a190a017712141201611a036176672201732a050a01641001300a"
)


def test_decodes_what_a_5x_client_sends():
    config = pb.ViewConfig()
    config.ParseFromString(_FROM_5X)
    assert decode_view_config(config)["windows"] == {
        "w": {
            "column": "a",
            "aggregate": "avg",
            "partition_by": ["s"],
            "order_by": ["d", "desc"],
            "rows": 10,
        },
        "w3": {"column": "d", "aggregate": "sum", "cumulative": True},
    }


def test_encodes_as_a_5x_client_does():
    message = encode_view_config(
        {
            "windows": {
                "w3": {"column": "d", "aggregate": "sum", "cumulative": True},
                "w": {
                    "column": "a",
                    "aggregate": "avg",
                    "partition_by": ["s"],
                    "order_by": ["d", "desc"],
                    "rows": 10,
                },
            }
        }
    )
    expected = pb.ViewConfig()
    expected.ParseFromString(_FROM_5X)
    assert message == expected


@pytest.mark.parametrize(
    "spec",
    [
        {"column": "a", "aggregate": "ema", "alpha": 0.25},
        {"column": "a", "aggregate": "lead", "offset": 3, "partition_by": ["s", "t"]},
        {"column": "a", "aggregate": "rate", "order_by": ["d", "asc"], "range": 1.5},
    ],
    ids=str,
)
def test_round_trip(spec):
    assert decode_view_config(encode_view_config({"windows": {"w": spec}}))["windows"] == {
        "w": spec
    }


@pytest.mark.parametrize(
    "spec",
    [
        {"column": "a", "aggregate": "sum", "rows": -1},
        {"column": "a", "aggregate": "sum", "rows": 1.5},
        {"column": "a", "aggregate": "sum", "order_by": ["d", "up"]},
        {"column": "a", "aggregate": "sum", "weird": 1},
        {"column": "a", "aggregate": "sum", "rows": 1, "range": 2},
    ],
    ids=str,
)
def test_what_the_wire_cannot_carry_is_refused(spec):
    with pytest.raises(ConfigError):
        encode_view_config({"windows": {"w": spec}})


def test_features_advertise_window_aggregates_per_type():
    features = features_response()
    floats = {a.name: a for a in features.window_aggregates[pb.FLOAT].aggregates}
    assert list(floats) == [
        "sum", "avg", "count", "min", "max", "stddev", "var",
        "lag", "lead", "diff", "rate", "ema", "row_number",
    ]  # fmt: skip
    assert list(floats["rate"].frames) == ["range"]
    assert floats["ema"].alpha
    assert floats["lag"].offset
    assert not floats["min"].HasField("result_type")
    assert floats["count"].result_type == pb.INTEGER
    strings = [a.name for a in features.window_aggregates[pb.STRING].aggregates]
    assert strings == ["count", "min", "max", "lag", "lead", "row_number"]
