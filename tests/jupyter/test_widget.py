"""PerspectiveWidget in-process: traits, data methods, and the comm transport.

No Jupyter server here, so the kernel host has no hub and the widget carries
protocol bytes over its comm (ipywidgets uses a stand-in comm outside a kernel).
"""

from __future__ import annotations

import threading

import pytest

from perspective_nb.errors import ConfigError
from perspective_nb.jupyter.kernel_host import current_host, stop_host
from perspective_nb.jupyter.magics import parse_magic_line
from perspective_nb.jupyter.widget import CONFIG_TRAITS, PerspectiveWidget
from perspective_nb.protocol import pb


@pytest.fixture
def host():
    yield current_host()
    stop_host()
    # the host's thread ends with it
    assert not [t for t in threading.enumerate() if t.name == "perspective-nb-host"]


def test_widget_hosts_data_and_syncs_config(host):
    w = PerspectiveWidget(
        {"region": ["N", "S", "N"], "sales": [1.0, 2.0, 3.0]},
        name="sales",
        group_by=["region"],
        plugin="Y Bar",
    )
    assert w.transport == "comm"
    assert w.table_name == "sales"
    assert "sales" in host.server.get_hosted_table_names()
    state = w.get_state()
    assert state["group_by"] == ["region"]
    assert state["plugin"] == "Y Bar"
    assert state["_view_module"] == "perspective-nb-labextension"
    w.close()


def test_widget_data_methods(host):
    w = PerspectiveWidget({"x": [1, 2]}, name="xs")
    w.update({"x": [3]})
    assert w.table.size() == 3
    w.replace({"x": [9]})
    assert w.table.size() == 1
    w.clear()
    assert w.table.size() == 0
    w.delete()
    assert "xs" not in host.server.get_hosted_table_names()


def test_widget_wraps_an_existing_table(host):
    table = host.table({"x": [1]}, name="existing")
    w = PerspectiveWidget(table, split_by=["x"])
    assert w.table is table
    assert w.table_name == "existing"
    by_name = PerspectiveWidget(name="existing")
    assert by_name.table.size() == 1
    w.close()
    by_name.close()


def test_widget_of_a_duckdb_relation_hosts_a_virtual_table(host):
    duckdb = pytest.importorskip("duckdb")
    from perspective_nb.virtual import VirtualTable

    con = duckdb.connect()
    w = PerspectiveWidget(
        con.sql("SELECT range AS x, range % 3 AS g FROM range(10)"), group_by=["g"]
    )
    # The rows stay in DuckDB: the kernel's server hosts a virtual table by name.
    hosted = dict(host.server.hosted_tables())[w.table_name]
    assert isinstance(hosted, VirtualTable)
    view = w.table.view(group_by=["g"], columns=["x"])
    assert view.to_columns() == {"__ROW_PATH__": [[], [0], [1], [2]], "x": [45, 18, 12, 15]}
    view.delete()
    w.close()


def test_save_and_restore_round_trip(host):
    w = PerspectiveWidget({"a": [1], "b": ["x"]}, name="cfg")
    w.restore(group_by=["b"], sort=[["a", "desc"]], filter=[["a", ">", 0]], theme="Pro Dark")
    saved = w.save()
    assert set(saved) == set(CONFIG_TRAITS)
    other = PerspectiveWidget(w.table, **saved)
    assert other.save() == saved
    w.close()
    other.close()


def test_unknown_options_are_refused_by_name(host):
    with pytest.raises(ConfigError, match="grop_by"):
        PerspectiveWidget({"a": [1]}, grop_by=["a"])
    w = PerspectiveWidget({"a": [1]})
    with pytest.raises(ConfigError, match="colour"):
        w.restore(colour="red")
    w.close()


def test_widget_without_data_waits_for_load(host):
    w = PerspectiveWidget(group_by=["k"])
    assert w.table is None
    assert w.table_name is None
    with pytest.raises(ConfigError, match="load"):
        w.update({"k": ["a"]})
    with pytest.raises(ConfigError, match="with them"):
        PerspectiveWidget(None, index="k")
    w.load({"k": ["a", "b"], "v": [1, 2]}, name="later", index="k")
    assert w.table_name == "later"
    assert w.get_state()["table_name"] == "later"
    assert w.columns == ["k", "v"]  # the table's columns, as perspective-python sets them
    assert w.group_by == ["k"]  # the first load keeps the constructor's config
    w.update({"k": ["a"], "v": [5]})
    assert w.table.size() == 2  # indexed: an upsert
    w.close()


def test_drop_in_import_paths_name_the_same_class(host):
    import perspective_nb
    from perspective_nb.widget import PerspectiveWidget as FromWidget
    from perspective_nb.widget.viewer import PerspectiveViewer

    assert FromWidget is PerspectiveWidget is perspective_nb.PerspectiveWidget
    assert issubclass(FromWidget, PerspectiveViewer)


def test_perspective_python_style_notebook(host):
    # as written for perspective.widget: positional index, viewer kwargs, load() again
    w = PerspectiveWidget(
        {"a": [1, 2, 3], "b": ["x", "y", "x"]},
        "a",
        plugin="X Bar",
        aggregates={"a": "avg"},
        sort=[["b", "desc"]],
        filter=[["a", ">", 1]],
        expressions=['"a" + 100'],
        columns_config={"a": {"number_fg_mode": "bar"}},
        settings=False,
    )
    assert w.table.get_index() == "a"
    assert w.expressions == {'"a" + 100': '"a" + 100'}
    assert w.plugin == "X Bar"
    assert w.settings is False
    assert w.save()["columns_config"] == {"a": {"number_fg_mode": "bar"}}
    assert "plugin='X Bar'" not in w.to_kwargs()
    assert "sort=[['b', 'desc']]" in w.to_kwargs()
    w.sort = [["a", "asc"]]
    assert w.get_state()["sort"] == [["a", "asc"]]
    first = w.table
    w.load({"c": [1.5, 2.5]})
    # loading again resets the config and shows the new table's columns
    assert w.table is not first
    assert (w.plugin, w.sort, w.filter, w.columns) == ("Datagrid", [], [], ["c"])
    assert w.get_state()["table_name"] == w.table.get_name()
    view = w.table.view()
    with pytest.raises(ConfigError, match="views cannot be loaded"):
        w.load(view)
    view.delete()
    w.reset()
    assert w.save()["group_by"] == []
    saved = w.save()
    saved["version"] = "5.6.1"  # a config saved elsewhere restores, version ignored
    w.restore(**saved)
    assert w.version == "3.8.0"
    w.delete()
    assert w.table is None
    assert w.table_name is None


def test_height_is_pixels_or_a_css_length(host):
    w = PerspectiveWidget({"a": [1]})
    assert w.height is None  # fit the content
    assert PerspectiveWidget(w.table, height=600).height == "600px"
    w.height = "70vh"
    assert w.get_state()["height"] == "70vh"
    with pytest.raises(ConfigError, match="CSS length"):
        w.height = "tall"
    with pytest.raises(ConfigError, match="negative"):
        PerspectiveWidget(w.table, height=-5)
    w.close()


def test_comm_transport_answers_protocol_requests(host):
    w = PerspectiveWidget({"x": [1, 2, 3]}, name="over-comm")
    sent = []
    w.send = lambda content, buffers=None: sent.append((content, buffers))
    request = pb.Request(msg_id=5, entity_id="over-comm", table_size_req={})
    w._on_browser_message(w, {"type": "request"}, [request.SerializeToString()])
    assert len(sent) == 1
    content, buffers = sent[0]
    assert content == {"type": "response"}
    response = pb.Response.FromString(bytes(buffers[0]))
    assert (response.msg_id, response.table_size_resp.size) == (5, 3)
    w.close()


def test_magic_line_parsing():
    options = parse_magic_line("df --group-by region year --plugin 'Y Bar' --sort sales desc")
    assert options == {
        "data": "df",
        "group_by": ["region", "year"],
        "plugin": "Y Bar",
        "sort": [["sales", "desc"]],
    }
    with pytest.raises(ConfigError, match="usage"):
        parse_magic_line("--group-by")


def test_host_without_a_reachable_hub_falls_back_to_the_comm():
    import socket

    from perspective_nb.jupyter.kernel_host import HubUnreachableWarning, KernelHost

    with socket.socket() as probe:  # a free loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    host = KernelHost(hub_url=f"ws://127.0.0.1:{port}/perspective/kernel", token="t")
    host.start()
    try:
        assert not host.connected
        with pytest.warns(HubUnreachableWarning, match="'offline' is hosted only in this kernel"):
            table = host.table({"x": [1, 2]}, name="offline")
        assert table.size() == 2
    finally:
        host.stop()
    assert not [t for t in threading.enumerate() if t.name == "perspective-nb-host"]
