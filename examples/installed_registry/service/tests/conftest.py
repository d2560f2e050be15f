pytest_plugins = ["accord.testing.plugin"]
