import { answerOne, shippedAgentDeps } from '../../bench/naturalTurn';
import { loadNaturalSet, scoreAgent, summarise } from '../../evaluation/naturalSet';
import { createOfflineModel } from '../../model/offlineModel';
import { sandboxPool } from '../../sandbox/sandboxPool';

afterAll(() => sandboxPool.close());

/**
 * The offline agent, a turn's own steps on the shipped components. Before the analyser's phrase
 * tables: 11 of 52 right tools and right answers (6 of 26 taught, 5 of 26 never taught), every
 * miss answered with the offline help text.
 */
describe('the offline agent on the natural-phrasing set', () => {
  it('picks the right tool and states the right answer for plainly phrased requests', async () => {
    const deps = await shippedAgentDeps();
    const model = createOfflineModel(0);
    const verdicts = await scoreAgent(loadNaturalSet(), (content) => answerOne(deps, model, content));
    const score = summarise(verdicts);
    const wrong = verdicts.filter((v) => !v.rightAnswer).map((v) => v.id);
    expect(wrong.length).toBeLessThanOrEqual(2);
    expect(score.all.rightTool).toBeGreaterThanOrEqual(50);
    expect(score.never_taught.rightAnswer).toBeGreaterThanOrEqual(25);
  }, 120_000);
});
