"""Batch runs: the plan of store x notebook jobs, warm kernels, local processes and a Dask cluster."""
