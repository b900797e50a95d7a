"""Cases: hotline intake, victim identification before any deportation, and the
rescue-to-reintegration workflow with services, referrals and deadlines."""
