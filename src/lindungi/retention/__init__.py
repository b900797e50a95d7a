"""Keeping personal data no longer than it is needed, and nothing less while the law
needs it: retention purges across the hub, and legal holds that stop them."""
