"""Registers the `slow` marker: the scale tests build 50 MB and 5,000-file inputs (deselect with -m "not slow")."""


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "slow: builds very large inputs at test time (tens of seconds)")
