import { loadNaturalSet, scoreAgent, summarise } from '../../evaluation/natural/naturalSet';
import { sandboxPool } from '../../sandbox/sandboxPool';
import { offlineAgent } from '../support/offlineAgent';

afterAll(() => sandboxPool.close());

/**
 * The shipped components, before the phrase tables: 11 of 52 right tools and right answers
 * (6 of 26 taught, 5 of 26 never taught), every miss answered with the offline help text.
 */
describe('the offline agent on the natural-phrasing set', () => {
  it('picks the right tool and states the right answer for plainly phrased requests', async () => {
    const verdicts = await scoreAgent(loadNaturalSet(), offlineAgent());
    const score = summarise(verdicts);
    const wrong = verdicts.filter((v) => !v.rightAnswer).map((v) => v.id);
    expect(wrong.length).toBeLessThanOrEqual(2);
    expect(score.all.rightTool).toBeGreaterThanOrEqual(50);
    expect(score.never_taught.rightAnswer).toBeGreaterThanOrEqual(25);
  }, 120_000);
});
