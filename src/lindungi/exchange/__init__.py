"""Agency-facing exchange: events, webhooks and anonymised exports."""
