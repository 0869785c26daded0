import type { LanguageModel } from 'ai';

/**
 * AI SDK provider ids (a language model's `provider`, e.g. `openai.chat`, or a gateway model string's prefix, e.g.
 * `openai/gpt-4.1`) → the well-known `gen_ai.provider.name` values of the OpenTelemetry GenAI conventions. An id
 * not listed maps to nothing: traces leave the attribute out rather than carry a value nobody groups by.
 */
const WELL_KNOWN: Readonly<Record<string, string>> = {
  openai: 'openai',
  anthropic: 'anthropic',
  'amazon-bedrock': 'aws.bedrock',
  bedrock: 'aws.bedrock',
  azure: 'azure.ai.openai',
  'azure-openai': 'azure.ai.openai',
  google: 'gcp.gemini',
  'google.generative-ai': 'gcp.gemini',
  'google.vertex': 'gcp.vertex_ai',
  vertex: 'gcp.vertex_ai',
  mistral: 'mistral_ai',
  groq: 'groq',
  deepseek: 'deepseek',
  xai: 'x_ai',
  perplexity: 'perplexity',
  cohere: 'cohere',
};

/**
 * The `gen_ai.provider.name` for an AI SDK provider id, or `undefined` when it is not a well-known provider
 * (mock models, custom providers). The longest listed dotted prefix wins: `google.vertex.chat` → `gcp.vertex_ai`,
 * `google.generative-ai` → `gcp.gemini`, `openai.responses` → `openai`.
 */
export function providerName(providerId: string | undefined): string | undefined {
  if (!providerId) return undefined;
  const parts = providerId.toLowerCase().split('.');
  for (let length = parts.length; length > 0; length--) {
    const known = WELL_KNOWN[parts.slice(0, length).join('.')];
    if (known) return known;
  }
  return undefined;
}

/**
 * The provider, as a well-known `gen_ai.provider.name` (`openai.chat` → `openai`; a gateway id `openai/gpt-4.1` →
 * `openai`; unknown ids → none). Never the agent's name: the agent is named by `name` or its `id`, and the model
 * reaches traces as `gen_ai.request.model` through the usage each call reports.
 */
export function inferFromModel(model: LanguageModel): { provider?: string } {
  const provider = providerName(
    typeof model === 'string' ? (model.includes('/') ? model.split('/', 1)[0] : undefined) : model.provider,
  );
  return provider ? { provider } : {};
}
