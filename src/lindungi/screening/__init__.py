"""Screening: the SOP rulebook for detecting digital trafficking at departure and in job
offers, the indicator engine that explains every result, and referrals to BP2MI."""
