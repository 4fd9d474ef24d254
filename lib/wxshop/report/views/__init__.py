"""One view module per notebook: the report's tables and words, built from an analysis's results."""
