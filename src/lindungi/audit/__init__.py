"""The tamper-evident audit log: an RFC 6962 Merkle log of reads and writes of
sensitive data, with signed checkpoints and witnesses."""
