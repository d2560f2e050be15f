# The consumer-side fixture (accord_expectation) and the provider-side fixtures
# (accord_verify, accord_provider_states); the accord pytest plugin may already provide
# them, in which case these lines are harmless.
pytest_plugins = ["accord.testing._expectations", "accord.testing._provider"]
