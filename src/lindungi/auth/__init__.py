"""Agencies, users, roles, API tokens and permissions."""
