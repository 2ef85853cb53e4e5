import pytest

from notify.notify_kb import SmtpServer, Webhooks


@pytest.fixture
def smtp():
    with SmtpServer() as server:
        yield server


@pytest.fixture
def webhooks():
    with Webhooks() as receiver:
        yield receiver
