"""Foreground and background pools: the raw material every dataset is rendered from.

A pool file (``pool.npz``) holds ``foregrounds`` (K, 32, 32, 4) uint8 RGBA prototypes,
``foreground_names`` and ``backgrounds`` (B, 32, 32, 3) uint8, whatever the source.
"""

FOREGROUND_POOL_SIZE = 61
BACKGROUND_POOL_SIZE = 882
SIZE = 32
