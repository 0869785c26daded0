import { describe, expect, it } from 'vitest';
import { providerName } from './provider-name.js';

describe('providerName', () => {
  it('maps AI SDK provider ids to the well-known gen_ai.provider.name values', () => {
    expect(
      [
        'openai.chat',
        'openai.responses',
        'anthropic.messages',
        'amazon-bedrock',
        'azure.chat',
        'google.generative-ai',
        'google.vertex.chat',
        'vertex.anthropic.messages',
        'mistral.chat',
        'groq.chat',
        'deepseek.chat',
        'xai.chat',
        'perplexity',
        'cohere.chat',
      ].map(providerName),
    ).toEqual([
      'openai',
      'openai',
      'anthropic',
      'aws.bedrock',
      'azure.ai.openai',
      'gcp.gemini',
      'gcp.vertex_ai',
      'gcp.vertex_ai',
      'mistral_ai',
      'groq',
      'deepseek',
      'x_ai',
      'perplexity',
      'cohere',
    ]);
  });

  it('leaves unknown providers out instead of passing them on', () => {
    expect(['mock.chat', 'my-proxy', '', undefined].map(providerName)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});
