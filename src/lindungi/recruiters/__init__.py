"""The recruiter registry: recruiters, licences, bonds and claims, sanctions,
complaints, the identifiers behind a name, and public verification."""
