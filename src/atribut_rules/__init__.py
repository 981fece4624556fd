"""atribut-rules: check reported campaign attributes against placement rules and map zones.

::

    import atribut_rules as ar

    rules = ar.load_rules()                         # bundled national rule set
    zones = ar.load_zones("trees.geojson", ("masjid.geojson", "place_of_worship"))
    reports = ar.read_reports("laporan.csv")
    run = ar.check(reports, zones, rules)           # CoverageError if a needed layer is missing
    for verdict in run.verdicts:
        print(verdict.report, verdict.status, verdict.unchecked)

Nothing here prints, reads the network, or keeps global state.
"""

from .errors import AtributRulesError, InputError, MissingExtraError, OutputError, RuleSetError, ZoneError
from .evaluate.check import check
from .evaluate.permits import Permit, load_permits
from .model import (
    Finding,
    Gap,
    Problem,
    ProjectionArea,
    Provenance,
    Report,
    RuleSetRef,
    Severity,
    Source,
    Status,
    Summary,
    Verdict,
    ZoneRef,
)
from .read import read_reports, report_chunks
from .results.run import Run, VerdictList
from .rules.coverage import CoverageError
from .rules.ruleset import CATEGORIES, Limits, Period, Rule, RuleSet, load_rules
from .spatial.zonecache import load_zones_cached
from .spatial.zones import Zones, load_zones
from .table.fields import HEADER_ALIASES
from .table.reports import Reports

__all__ = [
    "CATEGORIES",
    "HEADER_ALIASES",
    "AtributRulesError",
    "CoverageError",
    "Finding",
    "Gap",
    "InputError",
    "Limits",
    "MissingExtraError",
    "OutputError",
    "Period",
    "Permit",
    "Problem",
    "ProjectionArea",
    "Provenance",
    "Report",
    "Reports",
    "Rule",
    "RuleSet",
    "RuleSetError",
    "RuleSetRef",
    "Run",
    "Severity",
    "Source",
    "Status",
    "Summary",
    "Verdict",
    "VerdictList",
    "ZoneError",
    "ZoneRef",
    "Zones",
    "__version__",
    "check",
    "load_permits",
    "load_rules",
    "load_zones",
    "load_zones_cached",
    "read_reports",
    "report_chunks",
]

from .results.run import engine_version as _engine_version

__version__ = _engine_version()
