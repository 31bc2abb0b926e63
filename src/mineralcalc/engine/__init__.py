"""Numbers on arrays: the deterministic explosion with exact bounds, the catalog's cached
intensities, distributions and Monte Carlo sampling, and the catalogs of each year."""
