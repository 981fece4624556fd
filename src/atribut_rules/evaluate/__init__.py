"""Evaluating a rule set on a table: the check orchestrator, whole-list rules, permits."""
