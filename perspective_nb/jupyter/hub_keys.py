"""The hub's key and the per-kernel tokens derived from it.

The Jupyter server holds one random *hub key*; it never leaves the server
process (nor its runtime directory). Each kernel the server starts gets its
own token, ``HMAC-SHA256(hub key, kernel id)``, in its environment; the hub
accepts an uplink only when the token matches the kernel id it claims, so a
kernel can speak as itself and as no other kernel, and a process that only
inherited the server's environment (a terminal, say) holds no token at all.

The key lives in a file in the Jupyter runtime directory (mode 0600), named
after the server's root directory and port: a server restarted on the same
port and root reads the same key back, so the kernels it left running
reconnect with the tokens they already hold.

Pure standard library: no tornado, jupyter_server or IPython.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
import stat
from pathlib import Path

__all__ = ["check_kernel_token", "hub_key", "kernel_token"]

log = logging.getLogger(__name__)

_KEY_BYTES = 32


def kernel_token(key: bytes, kernel_id: str) -> str:
    """The token the kernel ``kernel_id`` presents to the hub holding ``key``.

    >>> kernel_token(b"k" * 32, "a") == kernel_token(b"k" * 32, "a") != kernel_token(b"k" * 32, "b")
    True
    """
    return hmac.new(key, kernel_id.encode(), hashlib.sha256).hexdigest()


def check_kernel_token(key: bytes, kernel_id: str, token: str) -> bool:
    """True if ``token`` was issued to ``kernel_id`` by the hub holding ``key``."""
    return hmac.compare_digest(kernel_token(key, kernel_id).encode(), token.encode())


def key_path(runtime_dir: str | os.PathLike, root_dir: str, port: int) -> Path:
    """Where the key of the server at ``root_dir``:``port`` is kept."""
    digest = hashlib.sha256(f"{os.path.realpath(root_dir)}\0{port}".encode()).hexdigest()
    return Path(runtime_dir) / f"perspective-nb-hub-{digest[:16]}.key"


def hub_key(runtime_dir: str | os.PathLike, root_dir: str, port: int) -> bytes:
    """The hub key of this server: read back if a previous run left one, else made.

    Only a regular file owned by this user, readable by nobody else and of the
    right length is trusted; anything else is replaced by a fresh key (the
    kernels of the previous run then cannot reconnect, as before).
    """
    path = key_path(runtime_dir, root_dir, port)
    try:
        key = _read_private(path)
    except OSError as exc:
        log.debug("perspective_nb: no reusable hub key at %s (%s)", path, exc)
    else:
        if key is not None:
            return key
    key = secrets.token_bytes(_KEY_BYTES)
    try:
        _write_private(path, key)
    except OSError as exc:
        # The hub still works; only kernels left over from a restart cannot reconnect.
        log.warning("perspective_nb: could not save the hub key to %s (%s)", path, exc)
    return key


def _read_private(path: Path) -> bytes | None:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    try:
        info = os.fstat(fd)
        private = stat.S_ISREG(info.st_mode) and not info.st_mode & 0o077
        if hasattr(os, "getuid"):
            private = private and info.st_uid == os.getuid()
        if not private:
            log.warning("perspective_nb: ignoring hub key %s: not a private file", path)
            return None
        key = os.read(fd, _KEY_BYTES + 1)
    finally:
        os.close(fd)
    return key if len(key) == _KEY_BYTES else None


def _write_private(path: Path, key: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{secrets.token_hex(4)}.tmp")
    # Created 0600 from the start (never readable by others, even briefly),
    # then renamed into place so a reader never sees half a key.
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, key)
    finally:
        os.close(fd)
    os.replace(partial, path)
