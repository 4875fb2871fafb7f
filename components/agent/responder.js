// The responder's prompt program: what the host sends to the model that answers (system
// prompt, tool results, history, the message) and the text the offline model speaks,
// composed from the step outcomes. Data only; the host calls the model.
var component = {
  name: 'responder',
  type: 'agent',
  description:
    'Assembles the answer: the messages a configured model answers from (system prompt, tool results, recent ' +
    'history, the user message) and the offline model\'s deterministic answer from the step outcomes.',
  input_schema: {
    type: 'object',
    properties: {
      content: { type: 'string', description: 'The user message', maxLength: 8000 },
      intent: { type: 'object', description: 'The analyser\'s intent' },
      history: { type: 'array', description: 'Earlier messages of the session, oldest first: { role, content }' },
      outcomes: { type: 'array', description: 'What each step returned: { component, ok, output, error }' },
    },
    required: ['content', 'intent'],
  },
  tunables: {
    // Earlier messages the model sees (the newest ones).
    history_messages: { default: 20, min: 0, max: 50, step: 5 },
    // Retrieved passages quoted in the offline answer.
    max_passages: { default: 3, min: 1, max: 10, step: 1 },
  },
  run: function (input, params) {
    if (!input || typeof input.content !== 'string' || !input.intent || typeof input.intent.intent !== 'string') {
      throw new Error('Input must be { content: string, intent: { intent }, history?, outcomes? }');
    }
    var outcomes = Array.isArray(input.outcomes) ? input.outcomes : [];
    var history = Array.isArray(input.history) ? input.history : [];
    return { messages: modelMessages(input.content, history, outcomes, params), offline_text: offlineAnswer(input, outcomes, params) };
  },
};

var SYSTEM_ANSWER =
  'You are Evoscope, a helpful assistant. Use the tool results given to you and state their numbers exactly as given; ' +
  'never compute a number yourself. Cite documentation sources as [n]. Be concise.';

function modelMessages(content, history, outcomes, params) {
  var toolContext = outcomes.map(function (o) {
    return o.component + ': ' + (o.ok === false ? 'failed: ' + o.error : JSON.stringify(o.output));
  }).join('\n');
  var earlier = history
    .filter(function (m) { return (m.role === 'user' || m.role === 'assistant') && typeof m.content === 'string' && m.content.length > 0; })
    .slice(params.history_messages > 0 ? -params.history_messages : history.length)
    .map(function (m) { return { role: m.role, content: m.content }; });
  return [{ role: 'system', content: toolContext ? SYSTEM_ANSWER + '\n\nTool results:\n' + toolContext : SYSTEM_ANSWER }]
    .concat(earlier, [{ role: 'user', content: content }]);
}

var CAPABILITIES =
  'I am Evoscope\'s built-in offline model. I can evaluate arithmetic ("what is 2*(3+4)?"), convert units ' +
  '("convert 5 km to miles"), remember facts ("remember that my cat is called Miso") and recall them ' +
  '("what did I tell you about my cat?"), and answer questions about Evoscope from its docs. ' +
  'For open conversation, set an OpenAI-compatible endpoint in the meta panel (or LLM_BASE_URL).';

// How each tool's output reads in the offline answer.
var DESCRIBE = {
  calculator: function (out) { return out.expression + ' = ' + out.result; },
  unit_convert: function (out) { return String(out.formatted || out.value + ' ' + out.from + ' = ' + out.result + ' ' + out.to); },
  session_memory: function (out) {
    if (out.remembered) return 'Noted. I will remember: ' + out.remembered.value + '.';
    var matches = out.matches || [];
    if (matches.length === 0) return 'You have not told me anything about that yet.';
    return 'You told me: ' + matches.map(function (m) { return m.value; }).join('; ') + '.';
  },
  docs_retriever: function (out, params) {
    var results = (out.results || []).slice(0, params.max_passages);
    if (results.length === 0) return 'I found nothing about that in the Evoscope docs.';
    var body = results.map(function (r, i) { return r.snippet.trim() + ' [' + (i + 1) + ']'; }).join('\n\n');
    var sources = results.map(function (r, i) { return '[' + (i + 1) + '] ' + r.path + (r.heading ? ' — ' + r.heading : ''); }).join('\n');
    return 'From the Evoscope docs:\n\n' + body + '\n\nSources:\n' + sources;
  },
};

function describeOutcome(outcome, params) {
  if (outcome.ok === false) return 'I could not run ' + outcome.component + ': ' + outcome.error;
  var describe = DESCRIBE[outcome.component];
  var out = outcome.output || {};
  return describe ? describe(out, params) : outcome.component + ' returned ' + JSON.stringify(outcome.output);
}

var STORY_SUBJECTS = ['a lighthouse keeper', 'a cartographer', 'a clockmaker', 'a beekeeper', 'a radio operator'];
var STORY_PLACES = ['a windswept island', 'a city of canals', 'a mountain observatory', 'a desert railway town'];
var STORY_BEATS = [
  'Every morning began the same way, with a careful check of every instrument and a note in the logbook.',
  'One day a letter arrived with no return address, written in a hand that seemed oddly familiar.',
  'The letter described a map that did not exist yet, a map of places that were still being decided.',
  'Curiosity won over caution, and the journey began before the kettle had even cooled.',
  'Along the way there were strangers who helped, strangers who hindered, and one who simply listened.',
  'Each evening the day was written down, because a record is how a mind learns from itself.',
  'Small mistakes were corrected, small improvements were kept, and the route grew a little better each time.',
  'By the end of the season the map was finished, and it was not the map anyone had expected.',
];

// A long, deterministic piece of text (seeded by the request), for streaming and stop.
function longStory(seedText) {
  var seed = 0;
  for (var ch of seedText) seed = (Math.imul(seed, 31) + ch.charCodeAt(0)) >>> 0;
  var subject = STORY_SUBJECTS[seed % STORY_SUBJECTS.length];
  var place = STORY_PLACES[(seed >>> 3) % STORY_PLACES.length];
  var paragraphs = ['Once upon a time, on ' + place + ', there lived ' + subject + '.'];
  for (var round = 0; round < 4; round++) {
    paragraphs.push(STORY_BEATS.map(function (_, j) { return STORY_BEATS[(j + round + seed) % STORY_BEATS.length]; }).join(' '));
  }
  paragraphs.push('And that is how the story ends: not with a conclusion, but with a better question.');
  return paragraphs.join('\n\n');
}

function offlineAnswer(input, outcomes, params) {
  if (outcomes.length > 0) return outcomes.map(function (o) { return describeOutcome(o, params); }).join('\n\n');
  if (input.intent.intent === 'long_form') return longStory(input.content);
  return CAPABILITIES;
}
