"""One HTTP request to a local server, answered as it is."""

import urllib.error
import urllib.request


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


# No proxy from the environment, and 3xx answers come back as they are.
_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirects)


def fetch(url: str, headers: dict | None = None, method: str = "GET"):
    """(status, headers, body) of one request; error statuses are answers too."""
    request = urllib.request.Request(url, headers=headers or {}, method=method)
    try:
        with _opener.open(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.headers, error.read()
