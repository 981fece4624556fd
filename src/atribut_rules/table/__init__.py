"""The table of reports: one array per field, the field registry, parsing and building, ids.

- :mod:`.fields`: the canonical fields, their kinds and header aliases (one registry);
- :mod:`.reports`: the :class:`~.reports.Reports` table;
- :mod:`.parse`: numbers (decimal commas too), dates and texts of cells;
- :mod:`.build`: rows or CSV records into a table, with a problem for each unusable value;
- :mod:`.ids`: ids repeated within a list and across its chunks.
"""
