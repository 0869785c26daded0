/**
 * LangChain provider names (a chat model's `ls_provider`, e.g. `openai`, `google_vertexai`, `amazon_bedrock`, or
 * the `provider:` prefix of a `createAgent` model string, e.g. `google-genai:`, `bedrock_converse:`) → the
 * well-known `gen_ai.provider.name` values of the OpenTelemetry GenAI conventions. Names are compared with `-`
 * read as `_`. A name not listed (a fake model's class name, a local server) maps to nothing: traces leave the
 * attribute out rather than carry a value nobody groups by.
 */
const WELL_KNOWN: Readonly<Record<string, string>> = {
  openai: 'openai',
  anthropic: 'anthropic',
  azure: 'azure.ai.openai',
  azure_openai: 'azure.ai.openai',
  azure_ai: 'azure.ai.inference',
  amazon_bedrock: 'aws.bedrock',
  bedrock: 'aws.bedrock',
  bedrock_converse: 'aws.bedrock',
  google_vertexai: 'gcp.vertex_ai',
  vertexai: 'gcp.vertex_ai',
  google_genai: 'gcp.gemini',
  google_generative_ai: 'gcp.gemini',
  mistral: 'mistral_ai',
  mistralai: 'mistral_ai',
  groq: 'groq',
  deepseek: 'deepseek',
  xai: 'x_ai',
  perplexity: 'perplexity',
  cohere: 'cohere',
  ibm: 'ibm.watsonx.ai',
  watsonx: 'ibm.watsonx.ai',
};

/** The `gen_ai.provider.name` for a LangChain provider name, or `undefined` when it is not a well-known provider. */
export function providerName(langchainName: string | undefined): string | undefined {
  if (!langchainName) return undefined;
  return WELL_KNOWN[langchainName.toLowerCase().replaceAll('-', '_')];
}
