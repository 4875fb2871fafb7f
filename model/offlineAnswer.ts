import type { Intent, StepOutcome } from '../domain/plan';

/** The offline model's answers: composed deterministically from the step outcomes. */

interface RagResult { path: string; heading?: string; snippet: string }
interface MemoryMatch { key: string; value: string }

const CAPABILITIES =
  'I am Evoscope\'s built-in offline model. I can evaluate arithmetic ("what is 2*(3+4)?"), convert units ' +
  '("convert 5 km to miles"), remember facts ("remember that my cat is called Miso") and recall them ' +
  '("what did I tell you about my cat?"), and answer questions about Evoscope from its docs. ' +
  'For open conversation, set an OpenAI-compatible endpoint in the meta panel (or LLM_BASE_URL).';

function describeOutcome(outcome: StepOutcome): string {
  const out = outcome.output as Record<string, unknown>;
  switch (outcome.component) {
    case 'calculator':
      return `${out.expression} = ${out.result}`;
    case 'unit_convert':
      return String(out.formatted ?? `${out.value} ${out.from} = ${out.result} ${out.to}`);
    case 'session_memory': {
      if (out.remembered) return `Noted. I will remember: ${(out.remembered as MemoryMatch).value}.`;
      const matches = (out.matches as MemoryMatch[] | undefined) ?? [];
      if (matches.length === 0) return 'You have not told me anything about that yet.';
      return `You told me: ${matches.map((m) => m.value).join('; ')}.`;
    }
    case 'docs_retriever': {
      const results = (out.results as RagResult[] | undefined) ?? [];
      if (results.length === 0) return 'I found nothing about that in the Evoscope docs.';
      const body = results.map((r, i) => `${r.snippet.trim()} [${i + 1}]`).join('\n\n');
      const sources = results.map((r, i) => `[${i + 1}] ${r.path}${r.heading ? ` — ${r.heading}` : ''}`).join('\n');
      return `From the Evoscope docs:\n\n${body}\n\nSources:\n${sources}`;
    }
    default:
      return `${outcome.component} returned ${JSON.stringify(outcome.output)}`;
  }
}

const STORY_SUBJECTS = ['a lighthouse keeper', 'a cartographer', 'a clockmaker', 'a beekeeper', 'a radio operator'];
const STORY_PLACES = ['a windswept island', 'a city of canals', 'a mountain observatory', 'a desert railway town'];
const STORY_BEATS = [
  'Every morning began the same way, with a careful check of every instrument and a note in the logbook.',
  'One day a letter arrived with no return address, written in a hand that seemed oddly familiar.',
  'The letter described a map that did not exist yet, a map of places that were still being decided.',
  'Curiosity won over caution, and the journey began before the kettle had even cooled.',
  'Along the way there were strangers who helped, strangers who hindered, and one who simply listened.',
  'Each evening the day was written down, because a record is how a mind learns from itself.',
  'Small mistakes were corrected, small improvements were kept, and the route grew a little better each time.',
  'By the end of the season the map was finished, and it was not the map anyone had expected.',
];

/** A long, deterministic piece of text (seeded by the request) for streaming and stop tests. */
function longStory(seedText: string): string {
  let seed = 0;
  for (const ch of seedText) seed = (seed * 31 + ch.charCodeAt(0)) >>> 0;
  const subject = STORY_SUBJECTS[seed % STORY_SUBJECTS.length];
  const place = STORY_PLACES[(seed >>> 3) % STORY_PLACES.length];
  const paragraphs: string[] = [`Once upon a time, on ${place}, there lived ${subject}.`];
  for (let round = 0; round < 4; round++) {
    paragraphs.push(STORY_BEATS.map((_, i) => STORY_BEATS[(i + round + seed) % STORY_BEATS.length]).join(' '));
  }
  paragraphs.push('And that is how the story ends: not with a conclusion, but with a better question.');
  return paragraphs.join('\n\n');
}

export function composeOfflineAnswer(content: string, intent: Intent, outcomes: StepOutcome[]): string {
  if (outcomes.length > 0) return outcomes.map(describeOutcome).join('\n\n');
  if (intent.intent === 'long_form') return longStory(content);
  return CAPABILITIES;
}
