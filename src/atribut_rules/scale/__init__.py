"""Lists larger than one pass: chunks, worker processes, Dask."""
