"""The data layer: the contract (schema), loading a store's files step by step (files, read,
headers, parse, checks, load, with the text helpers they share), the table cache (storecache)
and the integer codes of id columns (codes)."""
