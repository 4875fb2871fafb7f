import type { TokenUsage } from '../domain/execution';
import type { TokenUsageListener } from './modelClient';

/**
 * The tokens of every model call one step made, summed: the analyser's classification, the
 * planner's function calls (one a tool step). Kept on the step's node, so its span carries them.
 */
export interface UsageTally {
  add: TokenUsageListener;
  /** The sum; undefined when no call reported any. */
  total: () => TokenUsage | undefined;
}

export function usageTally(): UsageTally {
  let sum: TokenUsage | undefined;
  return {
    add: (usage) => {
      sum = {
        input_tokens: (sum?.input_tokens ?? 0) + usage.input_tokens,
        output_tokens: (sum?.output_tokens ?? 0) + usage.output_tokens,
      };
    },
    total: () => sum,
  };
}
