"""Render every figure of the site (placeholder until the figures land)."""
