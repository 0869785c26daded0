"""A target module whose framework is not installed."""

import baton_nonexistent_framework  # noqa: F401


def run(input, ctx):
    return None
