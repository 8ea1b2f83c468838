"""One module per paper figure; each turns tables (or the asset pool) into a PDF and a PNG."""
