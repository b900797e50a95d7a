"""Monitoring of workers abroad: zones, the geofence engine, check-ins and alerts."""
