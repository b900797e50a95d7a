"""The officers' console and the public self-check: server-rendered pages in Bahasa
Indonesia and English, on the same permissions and audit log as the API."""
