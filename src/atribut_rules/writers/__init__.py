"""Writers render a :class:`~atribut_rules.engine.Run` for people and machines.

Every format is built from one record shape (:mod:`.records`), so the same
verdict reads the same in a table, JSON, CSV or HTML. Writers return or write
text; only the CLI decides where it goes.
"""

from .json_writer import write_json
from .records import finding_record, provenance_record, summary_record, verdict_record
from .table import write_table

__all__ = [
    "finding_record",
    "provenance_record",
    "summary_record",
    "verdict_record",
    "write_json",
    "write_table",
]
