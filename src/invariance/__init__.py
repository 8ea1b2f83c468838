"""Reproduction pipeline for "Invariance makes a difference" (ICLR 2023 submission)."""
