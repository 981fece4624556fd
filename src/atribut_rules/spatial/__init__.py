"""Where things are: projections centred on the data, zone layers, the index and the join."""
