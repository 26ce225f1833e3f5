def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "stack_faults: fault tests against the running stack (PORTAL_STACK_URL and STACK_STATE given; "
        "they stop and start parts of it)",
    )
