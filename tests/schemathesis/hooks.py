"""Loaded by schemathesis before it runs (``SCHEMATHESIS_HOOKS`` in run.sh): one parse of Python source at
a time in its worker threads.

Hypothesis parses Python source to describe what it draws: a strategy's lambda (each source file once,
then cached) and, when it prints an example, the example's repr. On Python 3.11 the AST constructor
keeps its recursion depth in state shared by all threads, so two workers parsing at once can end one
scenario in ``SystemError: AST constructor recursion depth mismatch`` (CPython gh-106905, fixed in 3.12):
nothing is checked for that operation and the run fails. A CI run of 2026-12-03 lost POST /api/v1/cases/
that way. A parse is short next to the HTTP request of each case; the lock is held for the parse only.
"""

import ast
import functools
import threading

_parse = ast.parse
_one_at_a_time = threading.Lock()


@functools.wraps(_parse)
def parse(*args, **kwargs):
    with _one_at_a_time:
        return _parse(*args, **kwargs)


ast.parse = parse
