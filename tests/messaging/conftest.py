import pytest

from tests.messaging.fake_aliyun import FakeAliyun


@pytest.fixture
def fake_aliyun(settings):
    """The Aliyun backend, pointed at a local fake that checks signature and payload."""
    with FakeAliyun() as fake:
        settings.SMS_BACKEND = settings.ALIYUN_SMS_BACKEND
        settings.ALIYUN_SMS_ENDPOINT = fake.url
        settings.ALIYUN_SMS_ACCESS_KEY_ID = fake.access_key_id
        settings.ALIYUN_SMS_ACCESS_KEY_SECRET = fake.secret
        settings.ALIYUN_SMS_SIGN_NAME = fake.sign_name
        settings.ALIYUN_SMS_TEMPLATE_CODE = fake.template_code
        yield fake
