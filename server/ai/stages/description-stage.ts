import { checkDescription } from '../checks/description-check.ts';
import type { ProviderChain } from '../llm/provider-chain.ts';
import { descriptionPrompt } from '../prompts.ts';
import type { RecordFacts } from '../record-snapshot.ts';
import { templateDescription } from '../template/template-description.ts';

export interface TextStageResult<T> {
  value: T;
  /** Provider name or 'template'. */
  source: string;
  transient: boolean;
}

/** Stage 2: the Russian description; the template when no provider gives a valid one. */
export async function runDescriptionStage(chain: ProviderChain, facts: RecordFacts, seed: string, signal?: AbortSignal): Promise<TextStageResult<string>> {
  if (chain.configured) {
    const { answer, transient } = await chain.run(
      'description',
      (reason) => ({ messages: descriptionPrompt(facts, reason), maxTokens: 2000, temperature: 0.8, signal }),
      checkDescription,
    );
    if (answer) return { value: answer.value, source: answer.provider, transient: false };
    return { value: templateDescription(facts, seed), source: 'template', transient };
  }
  return { value: templateDescription(facts, seed), source: 'template', transient: false };
}
