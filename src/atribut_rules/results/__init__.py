"""What a check returns: the run, verdicts and their columnar blocks, messages, the summary."""
