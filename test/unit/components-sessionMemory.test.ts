import { sandboxPool } from '../../sandbox/sandboxPool';
import { componentRunner } from './componentRunner';

afterAll(() => sandboxPool.close());

const memory = componentRunner('memory/session_memory.js');

describe('session_memory component: remember', () => {
  it.each([
    ['remember that my favourite colour is teal', 'my favourite colour', 'my favourite colour is teal'],
    ['Please remember: the wifi password is hunter2.', 'the wifi password', 'the wifi password is hunter2'],
    ["Can you remember that my cat's name is Miso?", "my cat's name", "my cat's name is Miso"],
    ["don't forget my dentist appointment is on Friday", 'my dentist appointment', 'my dentist appointment is on Friday'],
    ['remember I am allergic to peanuts', 'i am allergic to peanuts', 'I am allergic to peanuts'],
    ['note that the office code = 4711', 'the office code', 'the office code = 4711'],
  ])('%p', async (text, key, value) => {
    expect(await memory({ op: 'remember', text })).toEqual({ key, value });
  });

  it('refuses an empty fact', async () => {
    await expect(memory({ op: 'remember', text: 'remember that' })).rejects.toThrow(/no fact to remember/);
  });
});

describe('session_memory component: recall', () => {
  const entries = [
    { key: 'my favourite colour', value: 'my favourite colour is teal', created_at: '2026-01-01T10:00:00.000Z' },
    { key: 'the wifi password', value: 'the wifi password is hunter2', created_at: '2026-01-02T10:00:00.000Z' },
    { key: 'my cat', value: 'my cat is called Miso', created_at: '2026-01-03T10:00:00.000Z' },
  ];

  it('ranks by shared words, across spelling variants and plurals', async () => {
    const out = await memory({ op: 'recall', query: 'What is my favorite color?', entries });
    expect(out.matches[0]).toEqual({ key: 'my favourite colour', value: 'my favourite colour is teal', score: 1 });
    const cats = await memory({ op: 'recall', query: 'what did I tell you about my cats', entries });
    expect(cats.matches.map((m: { key: string }) => m.key)).toEqual(['my cat']);
  });

  it('drops matches below min_score and caps max_results', async () => {
    const out = await memory({ op: 'recall', query: 'colour of the wifi router', entries }, { min_score: 0.5 });
    expect(out.matches).toEqual([]);
    const loose = await memory({ op: 'recall', query: 'colour of the wifi router', entries }, { min_score: 0.2, max_results: 1 });
    expect(loose.matches).toHaveLength(1);
  });

  it('lists the newest facts when the question has no content words', async () => {
    const out = await memory({ op: 'recall', query: 'what do you remember?', entries }, { max_results: 2 });
    expect(out.matches.map((m: { key: string }) => m.key)).toEqual(['my cat', 'the wifi password']);
  });

  it('validates entries', async () => {
    await expect(memory({ op: 'recall', query: 'x', entries: [{ key: 1 }] })).rejects.toThrow(/entries\[0\]/);
    await expect(memory({ op: 'forget' })).rejects.toThrow(/op "remember" or "recall"/);
  });
});
