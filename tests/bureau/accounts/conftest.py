"""Helpers of the login-side tests: log in through the real login form, enrol a device, make codes."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories.bureau import PASSWORD


@pytest.fixture
def log_in(client):
    """POST the login form as a person does; ``address`` is the client's address."""

    def log_in(username, password=PASSWORD, *, address="10.0.0.1", next_url=""):
        data = {"username": username, "password": password}
        if next_url:
            data["next"] = next_url
        return client.post("/login/", data, REMOTE_ADDR=address)

    return log_in


def code_for(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the authenticator app shows now (or ``steps_ahead`` 30-second steps later: a code is
    accepted only once, so a second login in the same step needs the next one)."""
    device.refresh_from_db()  # django-otp learns the phone's clock drift from each accepted code
    drift = device.drift + steps_ahead
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift):06d}"


@pytest.fixture
def second_factor_on(settings):
    settings.SECOND_FACTOR_REQUIRED = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # a wrong code may be followed at once by a right one


@pytest.fixture
def enrol(client):
    """Enrol the logged-in user through the page; returns (device, recovery codes)."""

    def enrol():
        client.get("/accounts/second-factor/")
        device = TOTPDevice.objects.get(confirmed=False)
        response = client.post("/accounts/second-factor/", {"code": code_for(device)})
        assert response.status_code == 200, response.content.decode()
        device.refresh_from_db()
        return device, response.context["codes"]

    return enrol
