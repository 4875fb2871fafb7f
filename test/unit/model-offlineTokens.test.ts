import { createOfflineModel } from '../../model/offlineModel';
import type { TokenUsage } from '../../domain/execution';

/** The offline model reports its own token counts: the same every run, one output token a streamed word. */
describe('the offline model counts its tokens', () => {
  const prompt = {
    messages: [
      { role: 'system' as const, content: 'Answer briefly.' },
      { role: 'user' as const, content: 'what is 2 + 2' },
    ],
    offline_text: 'The answer is 4.',
  };

  it('reports the prompt words in and each streamed token out', async () => {
    const deltas: string[] = [];
    const heard: TokenUsage[] = [];
    const text = await createOfflineModel(0).streamAnswer(
      prompt,
      (d) => deltas.push(d),
      new AbortController().signal,
      (u) => heard.push(u),
    );
    expect(text).toBe('The answer is 4.');
    expect(heard).toEqual([{ input_tokens: 7, output_tokens: deltas.length }]);
    expect(deltas).toHaveLength(4);
  });

  it('reports nothing for an answer stopped before its end', async () => {
    const stop = new AbortController();
    stop.abort();
    const heard: TokenUsage[] = [];
    await expect(
      createOfflineModel(0).streamAnswer(
        prompt,
        () => undefined,
        stop.signal,
        (u) => heard.push(u),
      ),
    ).rejects.toThrow('generation aborted');
    expect(heard).toEqual([]);
  });
});
