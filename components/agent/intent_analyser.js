// The analyser: what the user wants (intent), the values it needs (entities) and which
// tool serves it. Deterministic rules; a compound message ("convert 10 miles to km, and
// what is sqrt(2)*3?") becomes one request per clause. With a configured model the host
// also sends `classification.messages` to it and hands the reply back (op "read_reply").
// Keyword tables are tunables: a keyword's weight (0 turns it off) counts towards its intent.
var component = {
  name: 'intent_analyser',
  type: 'agent',
  description:
    'Reads a chat message: its intent, the entities a tool needs (expression, value and units, fact, query), ' +
    'which tool serves it, and one request per clause of a compound message.',
  input_schema: {
    type: 'object',
    properties: {
      op: { type: 'string', enum: ['analyse', 'read_reply'], description: 'analyse (default) or read a model classification reply' },
      content: { type: 'string', description: 'The user message', maxLength: 8000 },
      reply: { type: 'string', description: 'For read_reply: what the model answered to the classification prompt' },
    },
    required: ['content'],
  },
  tunables: {
    // A message is a docs question when its docs keywords weigh at least this much.
    docs_threshold: { default: 1, min: 0.5, max: 3, step: 0.5 },
    // Docs keywords; a keyword that is also an everyday word counts only outside its everyday sense (LEXICON.everyday_senses).
    docs_evoscope: { default: 1, min: 0, max: 2, step: 0.5 },
    docs_autonomy: { default: 1, min: 0, max: 2, step: 0.5 },
    docs_sandbox: { default: 1, min: 0, max: 2, step: 0.5 },
    docs_temporal: { default: 1, min: 0, max: 2, step: 0.5 },
    docs_component: { default: 1, min: 0, max: 2, step: 0.5 },
    docs_execution_graph: { default: 1, min: 0, max: 2, step: 0.5 },
    docs_offline_model: { default: 1, min: 0, max: 2, step: 0.5 },
    docs_workflow: { default: 1, min: 0, max: 2, step: 0.5 },
    docs_node_type: { default: 1, min: 0, max: 2, step: 0.5 },
    docs_event: { default: 1, min: 0, max: 2, step: 0.5 },
    docs_experiment: { default: 1, min: 0, max: 2, step: 0.5 },
    docs_promote: { default: 1, min: 0, max: 2, step: 0.5 },
    docs_llm_base_url: { default: 1, min: 0, max: 2, step: 0.5 },
    docs_openai: { default: 1, min: 0, max: 2, step: 0.5 },
    docs_rollback: { default: 1, min: 0, max: 2, step: 0.5 },
    docs_version: { default: 1, min: 0, max: 2, step: 0.5 },
    docs_tunable: { default: 1, min: 0, max: 2, step: 0.5 },
    docs_suite: { default: 1, min: 0, max: 2, step: 0.5 },
    docs_evolution: { default: 1, min: 0, max: 2, step: 0.5 },
    docs_prediction: { default: 1, min: 0, max: 2, step: 0.5 },
    docs_console: { default: 1, min: 0, max: 2, step: 0.5 },
    docs_ferretdb: { default: 1, min: 0, max: 2, step: 0.5 },
    docs_replay: { default: 1, min: 0, max: 2, step: 0.5 },
    docs_benchmark: { default: 1, min: 0, max: 2, step: 0.5 },
    // Long-form keywords: a request to write one of these streams a long text.
    long_threshold: { default: 1, min: 0.5, max: 3, step: 0.5 },
    long_story: { default: 1, min: 0, max: 2, step: 0.5 },
    long_essay: { default: 1, min: 0, max: 2, step: 0.5 },
    long_poem: { default: 1, min: 0, max: 2, step: 0.5 },
    long_long: { default: 1, min: 0, max: 2, step: 0.5 },
  },
  run: function (input, params) {
    if (!input || typeof input.content !== 'string') throw new Error('Input must be { content: string }');
    if (input.op === 'read_reply') return readReply(input.content, input.reply, params);
    if (input.op !== undefined && input.op !== 'analyse') throw new Error('op must be "analyse" or "read_reply"');
    return analyse(input.content, params);
  },
};

var INTENTS = ['arithmetic', 'unit_conversion', 'remember', 'recall', 'docs_question', 'long_form', 'chitchat'];

// Which tool serves each intent (by name, or by role for memory and retrieval).
var INTENT_TOOLS = {
  arithmetic: 'calculator',
  unit_conversion: 'unit_convert',
  remember: 'session_memory',
  recall: 'session_memory',
  docs_question: 'docs_retriever',
};

// [pattern, tunable]: each keyword found adds its tunable's weight.
var DOCS_KEYWORDS = [
  ['evoscope', 'docs_evoscope'], ['autonomy', 'docs_autonomy'], ['sandbox(?:es|ed)?', 'docs_sandbox'],
  ['temporal', 'docs_temporal'], ['components?', 'docs_component'], ['execution graphs?', 'docs_execution_graph'],
  ['offline model', 'docs_offline_model'], ['workflows?', 'docs_workflow'], ['node types?', 'docs_node_type'],
  ['events?', 'docs_event'], ['experiments?', 'docs_experiment'], ['promot\\w*', 'docs_promote'],
  ['llm_base_url', 'docs_llm_base_url'], ['openai', 'docs_openai'], ['roll(?:ed|s)? ?back', 'docs_rollback'],
  ['versions?', 'docs_version'], ['tunables?', 'docs_tunable'], ['suites?', 'docs_suite'],
  ['evol\\w*', 'docs_evolution'], ['predictions?', 'docs_prediction'], ['console', 'docs_console'],
  ['ferretdb', 'docs_ferretdb'], ['replay\\w*', 'docs_replay'], ['bench\\w*', 'docs_benchmark'],
];
var LONG_KEYWORDS = [['story', 'long_story'], ['essay', 'long_essay'], ['poem', 'long_poem'], ['long', 'long_long']];
var LONG_VERB = /\b(?:write|tell|compose)\b/i;
var LONG_PHRASE = /\blong (?:story|answer|essay)\b/i;

var REMEMBER = /^(?:please\s+)?remember(?:\s+that)?\s+(.+)$/i;
var RECALL = /(?:what did i (?:tell|say to) you about|do you remember|what do you know about)\s+(.+?)\??$/i;
var MATH_CHARS = /^[\d\s+\-*/^%().,]*(?:(?:sqrt|abs|round|floor|ceil|sin|cos|tan|log|ln|min|max|pi|e)[\d\s+\-*/^%().,]*)*$/i;
var MATH_OPERATION = /[+\-*/^%]|\b(?:sqrt|abs|round|floor|ceil|sin|cos|tan|log|ln|min|max)\b/i;
// Where a compound message splits into clauses: ";", a sentence end, or "and"/"also"/"then"
// before a new request.
var CLAUSE_BREAK = /\s*;\s*|[?!]\s+|\.\s+(?=[A-Z])|,?\s+(?:and\s+)?(?:also|then)\s+|,?\s+and\s+(?=(?:what|how|convert|calculate|compute|evaluate|tell|remember)\b)/i;

// The analyser's phrase knowledge, as data: plain JSON (strings only) between the markers, so
// an evolution operator can read and rewrite the tables without touching the code below.
// Patterns are regular expressions (case-insensitive); "{n}" stands for a number, "{u}" for a
// unit of one or two words. Templates name the pattern's groups as $1, $2.
//   asks:           phrases that open or close a request and carry no meaning of their own
//   phrase_rules:   a phrase that means an expression fragment, rewritten where it stands
//   operator_words: words that mean an operator
//   word_problems:  a small story that means one expression (matched anywhere in the message)
//   unit_patterns:  where the value and the two units sit in a conversion request ("$n" is a
//                   group of the pattern; a literal value such as "1" stands for "a day")
//   everyday_senses: for a docs keyword that is also an everyday word, the words that mark
//                   the everyday sense ("the acoustic version of that song"): then it does not count
// LEXICON-BEGIN
var LEXICON = {
  "asks": [
    "^(?:(?:can|could|would|will) you\\s+)?(?:please\\s+)?(?:what(?:'s|s| is| are)|calculate|compute|evaluate|work out|how much is|how much are|tell me|find|give me|solve)\\s+",
    "^(?:please\\s+)?convert\\s+",
    ",?\\s*(?:please|for me)$",
    "[?=!.]+$"
  ],
  "phrase_rules": [
    ["\\b(?:the\\s+)?square root of\\s+({n})", "sqrt($1)"],
    ["\\b(?:the\\s+)?cube root of\\s+({n})", "$1^(1/3)"],
    ["({n})\\s*(?:%|percent|per cent)\\s+of\\s+({n})", "$1 / 100 * $2"],
    ["\\b(?:the\\s+)?sum of\\s+({n}),\\s*({n}),?\\s+and\\s+({n})", "$1 + $2 + $3"],
    ["\\b(?:the\\s+)?sum of\\s+({n})\\s+and\\s+({n})", "$1 + $2"],
    ["\\b(?:the\\s+)?product of\\s+({n})\\s+and\\s+({n})", "$1 * $2"],
    ["\\b(?:the\\s+)?difference between\\s+({n})\\s+and\\s+({n})", "$1 - $2"],
    ["\\b(?:the\\s+)?quotient of\\s+({n})\\s+and\\s+({n})", "$1 / $2"],
    ["\\badd\\s+({n})\\s+(?:and|to)\\s+({n})", "$1 + $2"],
    ["\\bsubtract\\s+({n})\\s+from\\s+({n})", "$2 - $1"],
    ["\\bmultiply\\s+({n})\\s+(?:and|by)\\s+({n})", "$1 * $2"],
    ["\\bdivide\\s+({n})\\s+by\\s+({n})", "$1 / $2"],
    ["\\bhalf of\\s+({n})", "$1 / 2"],
    ["\\b(?:a\\s+|one\\s+)?third of\\s+({n})", "$1 / 3"],
    ["\\b(?:a\\s+|one\\s+)?quarter of\\s+({n})", "$1 / 4"],
    ["\\bdouble\\s+({n})", "2 * $1"],
    ["\\btriple\\s+({n})", "3 * $1"]
  ],
  "operator_words": [
    ["\\b(?:raised\\s+)?to the power of\\b", "^"],
    ["\\braised to\\b", "^"],
    ["\\bsquared\\b", "^2"],
    ["\\bcubed\\b", "^3"],
    ["\\bmultiplied by\\b", "*"],
    ["\\btimes\\b", "*"],
    ["(\\d)\\s*[x\u00d7]\\s*(?=[\\d(])", "$1 * "],
    ["\\bdivided by\\b", "/"],
    ["\\bover\\b", "/"],
    ["\\bplus\\b", "+"],
    ["\\bminus\\b", "-"],
    ["\\bmodulo\\b|\\bmod\\b", "%"]
  ],
  "word_problems": [
    ["\\b(?:have|had|has|got|buy|bought)\\s+({n})\\s+(?:\\w+\\s+)?and\\s+(?:then\\s+)?(?:eat|ate|eats|give away|gave away|gives away|lose|lost|loses|sell|sold|sells|spend|spent|spends|use|used|uses|break|broke|drop|dropped)\\s+({n})", "$1 - $2"],
    ["\\b(?:have|had|has|got)\\s+({n})\\s+(?:\\w+\\s+)?and\\s+(?:then\\s+)?(?:get|got|gets|buy|bought|buys|find|found|finds|receive|received|receives)\\s+({n})(?:\\s+more)?", "$1 + $2"],
    ["({n})\\s+(?:\\w+\\s+)?(?:with|of|holding|containing|that hold|that each hold)\\s+({n})\\s+(?:\\w+\\s+)?each", "$1 * $2"],
    ["\\b(?:split|share|divide)\\s+({n})\\s+(?:\\w+\\s+)?(?:between|among|by)\\s+({n})", "$1 / $2"]
  ],
  "unit_patterns": [
    { "pattern": "^({n})\\s*({u})\\s+(?:to|in|into|as)\\s+({u})$", "value": "$1", "from": "$2", "to": "$3" },
    { "pattern": "^how many\\s+({u})\\s+(?:is|are|make|makes|equals?|are there)?\\s*(?:in\\s+)?({n})\\s*({u})$", "value": "$2", "from": "$3", "to": "$1" },
    { "pattern": "^how many\\s+({u})\\s+(?:is|are|make|makes|are there)?\\s*(?:in\\s+)?(?:a|an|one)\\s+({u})$", "value": "1", "from": "$2", "to": "$1" }
  ],
  "everyday_senses": {
    "docs_version": "\\b(?:song|songs|film|films|movie|album|track|director'?s?|acoustic|book|story|remix)\\b",
    "docs_console": "\\b(?:game|games|gaming|table|playstation|xbox|nintendo|controller|tv)\\b",
    "docs_benchmark": "\\b(?:park|gym|press|sat|sit|sitting|seat|garden|wooden|workbench|weights)\\b",
    "docs_suite": "\\b(?:wedding|hotel|booked|book|cello|bach|played|bridal|honeymoon|room|bathroom)\\b",
    "docs_replay": "\\b(?:goal|match|football|soccer|referee|tv|race|highlights)\\b",
    "docs_evolution": "\\b(?:human|humans|jazz|species|darwin|music|fashion|art|animals|dinosaurs|biology)\\b"
  },
  "unit": "[a-z\u00b0][a-z\u00b0/23]*(?:\\s(?!(?:is|are|in|to|into|as|make|makes|equals?|there)\\b)[a-z]+)?",
  "number": "-?\\d+(?:\\.\\d+)?"
};
// LEXICON-END

function lexiconPattern(source, flags) {
  return new RegExp(source.replace(/\{n\}/g, LEXICON.number).replace(/\{u\}/g, LEXICON.unit), flags);
}

function rewrite(text, rules) {
  return rules.reduce(function (t, rule) { return t.replace(lexiconPattern(rule[0], 'gi'), rule[1]); }, text);
}

// The request without the words that only ask ("what is", "please", the question mark).
function requestBody(text) {
  return LEXICON.asks.reduce(function (t, ask) { return t.replace(lexiconPattern(ask, 'i'), '').trim(); }, text.trim());
}

function isExpression(candidate) {
  return /\d/.test(candidate) && MATH_CHARS.test(candidate) && MATH_OPERATION.test(candidate);
}

function arithmeticExpression(text) {
  var body = requestBody(text);
  if (isExpression(body)) return body;
  var candidate = rewrite(rewrite(body, LEXICON.phrase_rules), LEXICON.operator_words).replace(/\s+/g, ' ').trim();
  if (isExpression(candidate)) return candidate;
  for (var i = 0; i < LEXICON.word_problems.length; i++) {
    var story = lexiconPattern(LEXICON.word_problems[i][0], 'i').exec(text);
    if (story) return story[0].replace(lexiconPattern(LEXICON.word_problems[i][0], 'i'), LEXICON.word_problems[i][1]);
  }
  return null;
}

// A unit pattern's template ("$2", or a literal such as "1") filled from its match.
function filled(template, match) {
  return template.replace(/\$(\d)/g, function (_, group) { return match[Number(group)]; });
}

function unitConversion(text) {
  var body = requestBody(text);
  for (var i = 0; i < LEXICON.unit_patterns.length; i++) {
    var rule = LEXICON.unit_patterns[i];
    var match = lexiconPattern(rule.pattern, 'i').exec(body);
    if (match) return { value: Number(filled(rule.value, match)), from: filled(rule.from, match), to: filled(rule.to, match) };
  }
  return null;
}

function weightOf(text, table, params) {
  var total = 0;
  var matched = [];
  for (var i = 0; i < table.length; i++) {
    var weight = params[table[i][1]] || 0;
    var everyday = LEXICON.everyday_senses[table[i][1]];
    if (everyday && lexiconPattern(everyday, 'i').test(text)) continue;
    if (weight > 0 && new RegExp('\\b' + table[i][0] + '\\b', 'i').test(text)) {
      total += weight;
      matched.push(table[i][1]);
    }
  }
  return { total: total, matched: matched };
}

function request(text, intent, confidence, summary, entities) {
  return {
    text: text, intent: intent, confidence: confidence, summary: summary, entities: entities,
    tool: Object.prototype.hasOwnProperty.call(INTENT_TOOLS, intent) ? INTENT_TOOLS[intent] : null,
  };
}

// Readings that own the whole message: a fact to store runs to its end.
function wholeMessageReading(text) {
  var remember = REMEMBER.exec(text);
  if (remember) return request(text, 'remember', 0.95, 'store a fact: ' + remember[1], { text: remember[1] });
  var recall = RECALL.exec(text);
  if (recall) return request(text, 'recall', 0.9, 'recall facts about ' + recall[1], { query: recall[1] });
  return null;
}

// A tool-serving reading of one clause, or null.
function toolReading(clause, params) {
  var text = clause.replace(/[.!]+$/, '');
  var expression = arithmeticExpression(text);
  var unit = expression ? null : unitConversion(text);
  if (unit) return request(text, 'unit_conversion', 0.9, 'convert ' + unit.value + ' ' + unit.from + ' to ' + unit.to, unit);
  if (expression) return request(text, 'arithmetic', 0.95, 'evaluate ' + expression, { expression: expression });
  if (isLongForm(text, params)) return null;
  var docs = weightOf(text, DOCS_KEYWORDS, params);
  if (docs.total >= params.docs_threshold) {
    return request(text, 'docs_question', 0.75, 'answer a question about Evoscope from its docs', { query: text, keywords: docs.matched });
  }
  return null;
}

function isLongForm(text, params) {
  return (LONG_VERB.test(text) && weightOf(text, LONG_KEYWORDS, params).total >= params.long_threshold) || LONG_PHRASE.test(text);
}

function fallbackReading(text, params) {
  if (isLongForm(text, params)) {
    return request(text, 'long_form', 0.7, 'write a long piece of text', {});
  }
  return request(text, 'chitchat', 0.5, 'general conversation', {});
}

// A clause after a sentence end may still open with its conjunction ("…miles? and what is …").
var LEADING_CONJUNCTION = /^(?:and|also|then)\s+/i;

function clausesOf(text) {
  return text.split(CLAUSE_BREAK)
    .map(function (c) { return c.trim().replace(LEADING_CONJUNCTION, ''); })
    .filter(function (c) { return c.length > 0; });
}

function analyse(content, params) {
  var text = content.trim();
  var requests;
  var whole = wholeMessageReading(text);
  if (whole) {
    requests = [whole];
  } else {
    var served = clausesOf(text).map(function (c) { return toolReading(c, params); }).filter(Boolean);
    // Two or more clauses a tool serves make a compound request; otherwise read the message whole.
    requests = served.length >= 2 ? served : [toolReading(text, params) || fallbackReading(text, params)];
  }
  var first = requests[0];
  var intent = requests.length === 1
    ? { intent: first.intent, confidence: first.confidence, summary: first.summary }
    : {
      intent: first.intent,
      confidence: Math.min.apply(null, requests.map(function (r) { return r.confidence; })),
      summary: requests.length + ' requests: ' + requests.map(function (r) { return r.summary; }).join('; '),
    };
  var tools = [];
  requests.forEach(function (r) { if (r.tool && tools.indexOf(r.tool) === -1) tools.push(r.tool); });
  return {
    intent: intent,
    requests: requests,
    tools: tools,
    classification: {
      intents: INTENTS,
      messages: [
        { role: 'system', content: "Classify the user's message. Reply with exactly one word from: " + INTENTS.join(', ') + '.' },
        { role: 'user', content: content },
      ],
    },
  };
}

// A model's one-word classification; a reply naming no intent keeps the rules' reading.
function readReply(content, reply, params) {
  var reading = analyse(content, params);
  var said = String(reply || '').trim().toLowerCase();
  var named = INTENTS.filter(function (name) { return said.indexOf(name) !== -1; })[0];
  if (named) reading.intent = { intent: named, confidence: 0.8, summary: said.slice(0, 200) };
  return reading;
}
