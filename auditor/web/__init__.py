"""The local paste-and-audit page (``prinergy-audit serve``).

``app.create_app()`` builds the Starlette application; ``server.serve()`` runs it with uvicorn
on 127.0.0.1 by default.  Nothing a person pastes is written to disk or logged: request bodies
are read into memory (up to a size limit), parsed there, audited, and rendered with every
secret redacted; the page has no script and a strict Content-Security-Policy.  Starlette,
Jinja2 and uvicorn are imported only here, so the rest of the command line stays fast.
"""
