// Pure logic for per-session memory. The host stores and loads the entries
// (MongoDB); this component decides what a fact is and which facts match.
var component = {
  name: 'session_memory',
  type: 'memory',
  description:
    'Session memory. op "remember" turns a sentence such as "remember that my favourite colour is teal" into a ' +
    '{ key, value } fact; op "recall" ranks stored facts against a question by shared words.',
  input_schema: {
    type: 'object',
    properties: {
      op: { type: 'string', enum: ['remember', 'recall'] },
      text: { type: 'string', description: 'For remember: the sentence that states the fact', maxLength: 2000 },
      query: { type: 'string', description: 'For recall: the question to answer from memory', maxLength: 2000 },
      entries: {
        type: 'array',
        description: 'For recall: the stored facts, supplied by the host',
        items: {
          type: 'object',
          properties: { key: { type: 'string' }, value: { type: 'string' }, created_at: { type: 'string' } },
          required: ['key', 'value', 'created_at'],
        },
      },
    },
    required: ['op'],
  },
  tunables: {
    // Share of the question's content words a fact must contain to count as a match.
    min_score: { default: 0.3, min: 0, max: 1, step: 0.05 },
    max_results: { default: 3, min: 1, max: 10, step: 1 },
  },
  run: function (input, params) {
    if (!input || (input.op !== 'remember' && input.op !== 'recall')) {
      throw new Error('Input must have op "remember" or "recall"');
    }
    if (input.op === 'remember') return extractFact(input.text);
    return recall(input.query, input.entries, params);
  },
};

// Leading phrases that ask to remember rather than state the fact.
var REQUEST_PREFIX =
  /^(?:(?:please|pls|hey|ok|okay|also|and)[,\s]+)*(?:(?:can|could|would|will) you (?:please )?)?(?:remember|memori[sz]e|note|save|store|keep in mind|don'?t forget|do not forget|make a note)(?: (?:this|that|the fact))?(?:\s*[:,-]\s*|\s+|$)/i;
var COPULA = /\s+(?:is|are|was|were|am|equals)\s+|\s*[:=]\s*/i;
// Only when there is no full copula: "my name's Bob", but "my cat's name is Miso" splits at "is".
var CONTRACTED_IS = /'s\s+/;
var KEY_FALLBACK_WORDS = 5;

function extractFact(text) {
  if (typeof text !== 'string') throw new Error('remember needs { text: string }');
  var fact = text.trim().replace(REQUEST_PREFIX, '').replace(/^that(?:\s+|$)/i, '').replace(/[\s.!?]+$/, '').trim();
  if (fact === '') throw new Error('There is no fact to remember in "' + text + '"');
  var copula = COPULA.exec(fact) || CONTRACTED_IS.exec(fact);
  var subject = copula ? fact.slice(0, copula.index).trim() : '';
  // "I am allergic to nuts" has no useful subject ("i"), so fall back to the opening words.
  var key = contentTerms(subject).length > 0
    ? subject
    : fact.split(/\s+/).slice(0, KEY_FALLBACK_WORDS).join(' ');
  return { key: key.toLowerCase(), value: fact };
}

function recall(query, entries, params) {
  if (typeof query !== 'string') throw new Error('recall needs { query: string }');
  if (!Array.isArray(entries)) throw new Error('recall needs { entries: [{ key, value, created_at }] }');
  entries.forEach(function (entry, i) {
    if (!entry || typeof entry.key !== 'string' || typeof entry.value !== 'string' || typeof entry.created_at !== 'string') {
      throw new Error('entries[' + i + '] must be { key: string, value: string, created_at: string }');
    }
  });
  var newestFirst = entries.slice().sort(function (a, b) {
    return a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : 0;
  });
  var queryTerms = unique(contentTerms(query));
  // A question with no content words ("what do you remember?") lists the newest facts.
  if (queryTerms.length === 0) {
    return { matches: newestFirst.slice(0, params.max_results).map(function (e) { return toMatch(e, 0); }) };
  }
  var scored = newestFirst.map(function (entry, recency) {
    var entryTerms = contentTerms(entry.key + ' ' + entry.value);
    var shared = queryTerms.filter(function (term) { return entryTerms.indexOf(term) !== -1; }).length;
    return { entry: entry, recency: recency, score: shared / queryTerms.length };
  });
  var matches = scored
    .filter(function (s) { return s.score > 0 && s.score >= params.min_score; })
    .sort(function (a, b) { return b.score - a.score || a.recency - b.recency; })
    .slice(0, params.max_results)
    .map(function (s) { return toMatch(s.entry, s.score); });
  return { matches: matches };
}

function toMatch(entry, score) {
  return { key: entry.key, value: entry.value, score: Math.round(score * 1000) / 1000 };
}

function unique(items) {
  return items.filter(function (item, i) { return items.indexOf(item) === i; });
}

var STOP_WORDS = (
  'a an the and or but if then so of to in on at by for with from about as into than this that these those ' +
  'is are was were be been being am do does did have has had will would can could should shall may might must ' +
  'i me my mine we us our you your yours he him his she her it its they them their ' +
  'what which who whom whose when where why how please tell remember recall know again any some all ' +
  'not no yes just also very really there here'
).split(' ');

// Lower-case words minus stop-words, lightly stemmed so "colours"/"colour"/"color" meet.
function contentTerms(text) {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) || [])
    .filter(function (word) { return STOP_WORDS.indexOf(word) === -1; })
    .map(stem);
}

function stem(word) {
  var w = word;
  // British and American spellings (colour/color, favourite/favorite) map to one form.
  if (w.length > 4) w = w.replace(/our/g, 'or');
  if (w.length > 4 && /ies$/.test(w)) return w.slice(0, -3) + 'y';
  if (w.length > 5 && /ing$/.test(w)) return w.slice(0, -3);
  if (w.length > 4 && /ed$/.test(w)) return w.slice(0, -2);
  if (w.length > 3 && /s$/.test(w) && !/ss$/.test(w)) return w.slice(0, -1);
  return w;
}
