"""The table of reports: columns as arrays, the field registry, parsing and building, ids."""
