"""Transforms-2D: objects transformed by sets of transformation categories, pasted on backgrounds."""
