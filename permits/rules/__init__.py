"""Pure rules of the registry: no database, plain values in, a value out, so each rule is tested by
the dozen in microseconds. ``registry`` holds the facts of units, sites, industries, levels and who
keeps what; ``lifecycle`` a permit's events, states, lapses and expiry. Callers read both as
``permits.rules``."""

from permits.rules.lifecycle import *  # noqa: F403
from permits.rules.registry import *  # noqa: F403
