"""gunicorn settings shared by config/Procfile, the Dockerfile and docker-compose.yml
(``gunicorn -c config/gunicorn.conf.py config.wsgi ...``).

The server does not name itself (ASVS 14.3.3): gunicorn writes ``Server: gunicorn`` on every answer
and has no setting to leave it out, so the header is dropped from the response's default headers here,
in the master, before the workers are forked. The address, worker count and logs stay on the command
line of each deployment."""

from gunicorn.http import wsgi

_default_headers = wsgi.Response.default_headers


def _default_headers_without_server(self):
    return [line for line in _default_headers(self) if not line.lower().startswith("server:")]


wsgi.Response.default_headers = _default_headers_without_server
