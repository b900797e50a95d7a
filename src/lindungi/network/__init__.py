"""The graph of recruiters, the identifiers behind them and the cases they touch:
fronts, syndicates, and exports for analysts."""
