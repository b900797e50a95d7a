"""The synthetic demonstration scenario used by `lindungi demo` and by tests."""
