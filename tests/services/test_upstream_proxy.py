"""The upstream client ignores proxy variables of the environment; a proxy is set explicitly."""

from customers import services


def test_environment_proxies_are_not_read(monkeypatch, settings):
    monkeypatch.setenv("HTTPS_PROXY", "http://should-not-be-used:3128")
    settings.CTAX_API_PROXY = ""
    session = services.get_client().session
    assert session.trust_env is False and session.proxies == {}


def test_an_explicit_proxy_is_used(settings):
    settings.CTAX_API_PROXY = "http://proxy.branch.local:3128"
    assert services.get_client().session.proxies == {
        "http": "http://proxy.branch.local:3128",
        "https": "http://proxy.branch.local:3128",
    }
