import { bestMutation } from '../../evolution/bestMutation';
import { writeTunableDefaults } from '../../evolution/tunableMutation';

const CODE =
  "var component = { name: 'x', tunables: { a: { default: 5, min: 0, max: 10, step: 1 } }, run: function () { return 1; } };";
const tunables = { a: { default: 5, min: 0, max: 10, step: 1 } };
/** Higher `a` scores higher: the search should climb. */
const scoreOf = async (code: string) => Number(/a: \{ default: (\d+)/.exec(code)![1]);

test('the best-scoring mutant wins, and a refused one is never proposed again', async () => {
  const search = { code: CODE, tunables, params: { a: 5 }, seed: 7, count: 8, score: scoreOf };
  const first = await bestMutation({ ...search, refused: async () => false });
  expect(first).not.toBeNull();
  expect(first!.score).toBeGreaterThan(5);
  expect(first!.code).toBe(writeTunableDefaults(CODE, first!.change));

  const scored: string[] = [];
  const second = await bestMutation({
    ...search,
    score: async (code) => (scored.push(code), scoreOf(code)),
    refused: async (code) => code === first!.code,
  });
  expect(second).not.toBeNull();
  expect(second!.code).not.toBe(first!.code);
  expect(scored).not.toContain(first!.code);
});

test('nothing left when every mutant was refused', async () => {
  expect(
    await bestMutation({ code: CODE, tunables, params: { a: 5 }, seed: 7, count: 8, score: scoreOf, refused: async () => true }),
  ).toBeNull();
});
