"""The data engine: tables, views and everything they compute, on pure pyarrow.

Nothing here does I/O, asyncio, networking or Jupyter; the protocol,
server and jupyter layers build on this package, never the reverse.
"""
