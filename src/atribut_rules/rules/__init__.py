"""Rule sets: loading and checking rule files, their conditions, what they need, and their tools.

- :mod:`.ruleset`: load a rule file (with ``extends``) into a compiled :class:`~.ruleset.RuleSet`;
- :mod:`.conditions`: the condition kinds a rule is built from;
- :mod:`.coverage`: what each enabled rule needs from zones and fields (the trust contract);
- :mod:`.cases`: load a rule test file and run its cases (``atribut-rules test``);
- :mod:`.lint`: the meta-lint (legal basis, bilingual messages, violating and passing cases);
- :mod:`.docs`: describe a rule in words and render the docs pages (``atribut-rules explain``).
"""
