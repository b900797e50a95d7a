"""Name normalisation, record linkage across agency sources, and the person index."""
