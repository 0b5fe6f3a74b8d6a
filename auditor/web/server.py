"""Run the page with uvicorn: bound to 127.0.0.1 unless asked otherwise, quiet, until Ctrl-C."""

from __future__ import annotations

import ipaddress
import socket

LOOPBACK_NAMES = ("localhost",)


def is_loopback(addr: str) -> bool:
    """Whether ``addr`` (an address or ``localhost``) is this computer only."""
    if addr in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(addr.strip("[]")).is_loopback
    except ValueError:
        return False


def listen(bind: str, port: int) -> socket.socket:
    """A listening socket on ``bind``:``port`` (port 0: a free one)."""
    host = bind.strip("[]")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    if host == "localhost":
        host, family = "127.0.0.1", socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def url_of(sock: socket.socket) -> str:
    """The page's address for a browser."""
    host, port = sock.getsockname()[:2]
    if ":" in host:
        host = "[%s]" % host
    if host in ("0.0.0.0", "[::]"):
        host = "127.0.0.1" if host == "0.0.0.0" else "[::1]"
    return "http://%s:%d/" % (host, port)


def serve(bind: str = "127.0.0.1", port: int = 8000, max_bytes: int = 20 << 20, announce=print, warn=None) -> None:
    """Serve the page until interrupted.  ``announce(text)`` gets the URL to open (nothing is
    opened); ``warn(text)`` is told when the address is reachable from other computers."""
    import uvicorn

    from auditor.web.app import create_app

    sock = listen(bind, port)
    if is_loopback(bind):
        hosts = ("127.0.0.1", "localhost", "::1", "[::1]")
    else:
        hosts = None  # (asked for: any name this computer is reached by)
        if warn is not None:
            warn("listening on %s: anyone who can reach this computer on port %d can use the page and see what "
                 "is pasted into it" % (bind, sock.getsockname()[1]))
    app = create_app(max_bytes, hosts)
    config = uvicorn.Config(app, log_config=None, log_level="critical", access_log=False, server_header=False,
                            date_header=False, lifespan="off", proxy_headers=False, timeout_graceful_shutdown=2)
    server = uvicorn.Server(config)
    announce("prinergy-audit page: %s  (Ctrl-C to stop)" % url_of(sock))
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
