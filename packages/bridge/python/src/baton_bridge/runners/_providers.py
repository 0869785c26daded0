"""Model providers as the OpenTelemetry GenAI conventions name them (``gen_ai.provider.name``).

The runners report the provider with the usage (``usage["provider"]``) when the framework's model
client says which one it is; the TypeScript side puts it on the step's ``invoke_agent`` span and
token metric. A value the conventions do not list (a scripted test model, a local server) is left
out rather than passed on: traces group by these names, and a guess would group wrongly.

Free of framework imports: each runner reads its framework's objects and maps names here.
"""

from __future__ import annotations

from collections.abc import Iterable

#: Framework provider names (CrewAI / LiteLLM prefixes, AutoGen client kinds), compared lower-cased
#: with ``-`` read as ``_`` → the well-known ``gen_ai.provider.name`` values.
WELL_KNOWN: dict[str, str] = {
    "openai": "openai",
    "anthropic": "anthropic",
    "claude": "anthropic",
    "azure": "azure.ai.openai",
    "azure_openai": "azure.ai.openai",
    "azure_ai": "azure.ai.inference",
    "bedrock": "aws.bedrock",
    "aws_bedrock": "aws.bedrock",
    "amazon_bedrock": "aws.bedrock",
    "vertex_ai": "gcp.vertex_ai",
    "vertex_ai_beta": "gcp.vertex_ai",
    "gemini": "gcp.gemini",
    "google": "gcp.gemini",
    "mistral": "mistral_ai",
    "groq": "groq",
    "deepseek": "deepseek",
    "xai": "x_ai",
    "perplexity": "perplexity",
    "cohere": "cohere",
    "watsonx": "ibm.watsonx.ai",
}


def well_known(name: object) -> str | None:
    """The ``gen_ai.provider.name`` for a framework's provider name, or None when it is not listed."""
    if not isinstance(name, str) or not name:
        return None
    return WELL_KNOWN.get(name.strip().lower().replace("-", "_"))


def single(providers: Iterable[str | None]) -> str | None:
    """The one provider every model of a crew/team uses; None when unknown for any, or when they differ."""
    found = set(providers)
    if len(found) != 1:
        return None
    return next(iter(found))
