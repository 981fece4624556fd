"""The web page of ``atribut-rules serve`` (extra ``web``): upload a list, choose the rules and
zone layers, check it, download the results -- in a browser, on this machine.

:mod:`.command` is the CLI subcommand, :mod:`.app` the Starlette application, :mod:`.jobs`
runs each check as the CLI in a process and folder of its own, :mod:`.uploads` streams form
posts into a job's folder, :mod:`.security` holds sessions, CSRF tokens and the password.
"""
