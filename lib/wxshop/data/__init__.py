"""The data layer: the contract (schema), reading and checking a store's files, the table cache."""
