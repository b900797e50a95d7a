"""The HTTP API: the app factory, error rendering and request dependencies."""
