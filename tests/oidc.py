"""A real OpenID Connect provider (oidc-provider-mock) on loopback, for sign-in tests."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import oidc_provider_mock
import werkzeug.serving


@contextmanager
def running_provider(users: dict[str, str]) -> Iterator[str]:
    """The provider on 127.0.0.1 in a thread, stopped on exit; yields its issuer URL. ``users``
    (e-mail → name) are predefined (one click); any other subject typed in its form becomes a
    user with that e-mail."""
    app = oidc_provider_mock.app(
        user_claims=[
            oidc_provider_mock.User(sub=email, claims={"email": email, "name": name})
            for email, name in users.items()
        ]
    )
    server = werkzeug.serving.make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(5)
        server.server_close()


def auth_secrets(redirect_base: str, provider: str) -> str:
    """A secrets.toml whose ``[auth]`` signs in through ``provider`` and returns to
    ``redirect_base``, with sign-in required."""
    return (
        "[auth]\n"
        f'redirect_uri = "{redirect_base}/oauth2callback"\n'
        'cookie_secret = "browser-test-cookie-secret-0123456789"\n'
        'client_id = "kam-dashboard"\n'
        'client_secret = "kam-dashboard-secret"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n'
        "\n[kam]\nrequire_sign_in = true\n"
    )
