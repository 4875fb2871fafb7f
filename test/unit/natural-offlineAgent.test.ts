import { loadNaturalSet, scoreAgent, summarise } from '../../evaluation/natural/naturalSet';
import { sandboxPool } from '../../sandbox/sandboxPool';
import { offlineAgent } from '../support/offlineAgent';

afterAll(() => sandboxPool.close());

describe('the offline agent on the natural-phrasing set', () => {
  it('picks the right tool and states the right answer for plainly phrased requests', async () => {
    const verdicts = await scoreAgent(loadNaturalSet(), offlineAgent());
    const score = summarise(verdicts);
    const wrong = verdicts.filter((v) => !v.rightAnswer).map((v) => `${v.id}: [${v.reply.tools}] ${v.reply.text.slice(0, 80)}`);
    console.log(JSON.stringify(score), '\n' + wrong.join('\n'));
    expect(score.all.rightTool).toBeGreaterThanOrEqual(48);
    expect(score.all.rightAnswer).toBeGreaterThanOrEqual(48);
    expect(score.never_taught.rightAnswer).toBeGreaterThanOrEqual(23);
  }, 120_000);
});
