"""Rule sets: loading and checking rule files, their conditions, what they need, and their tools.

- :mod:`.ruleset`: the public names of rule sets (:func:`~.ruleset.load_rules`,
  :class:`~.ruleset.RuleSet`, ...), gathered from :mod:`.load` (read files, resolve
  ``extends``), :mod:`.check` (values, schema, new rules: every problem collected),
  :mod:`.build` (compile into a :class:`~.model.RuleSet`), :mod:`.model` and :mod:`.crs`;
- :mod:`.conditions`: the registry of condition kinds, one module per kind;
- :mod:`.patterns`: ``matches`` patterns (the safe subset, run on RE2);
- :mod:`.coverage`: what each enabled rule needs from zones and fields (the trust contract);
- :mod:`.cases`: load a rule test file and run its cases (``atribut-rules test``);
- :mod:`.lint`: the meta-lint (legal basis, bilingual messages, violating and passing cases);
- :mod:`.docs`: describe a rule in words and render the docs pages (``atribut-rules explain``).
"""
