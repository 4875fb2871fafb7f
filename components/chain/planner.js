// The planner chain: from the analyser's requests and the tools' manifests to a plan, and
// the rule that decides after every step whether to go on, re-plan or answer.
//   op "plan":      { requests, tools, next_step } → { steps, skipped }
//   op "functions": { content, intent, tools, observations } → { functions, messages }
//                   (the prompt and function list a configured model plans with natively)
//   op "decide":    { outcomes, pending, replans, exhausted } → { action, reason }
//   op "replan":    { failed: { step, error }, next_step } → { steps, reason }
// The host runs every step and calls every model; this file only decides.
var component = {
  name: 'planner',
  type: 'chain',
  description:
    'Plans a chat turn: which tool runs with which arguments for each request, the function list for native ' +
    'tool calls, and after each step whether to continue, re-plan a failed step or answer.',
  input_schema: {
    type: 'object',
    properties: {
      op: { type: 'string', enum: ['plan', 'functions', 'decide', 'replan'] },
      requests: { type: 'array', description: 'For plan: the analyser\'s requests' },
      tools: { type: 'array', description: 'For plan and functions: the manifests of the available tools' },
      next_step: { type: 'integer', minimum: 1, description: 'Number of the first new step' },
      outcomes: { type: 'array', description: 'For decide: what each step so far returned' },
      pending: { type: 'integer', minimum: 0, description: 'For decide: planned steps not yet run' },
      replans: { type: 'integer', minimum: 0, description: 'For decide: re-plans already made this turn' },
      exhausted: { type: ['string', 'null'], enum: ['steps', 'time', null], description: 'For decide: a bound the turn reached' },
      failed: { type: 'object', description: 'For replan: the step that failed and its error' },
    },
    required: ['op'],
  },
  tunables: {
    // Re-plans a turn may make after failing steps before it gives up.
    max_replans: { default: 1, min: 0, max: 2, step: 1 },
    // Steps one plan may hold; a longer compound request is cut to this many.
    max_plan_steps: { default: 4, min: 1, max: 8, step: 1 },
    // Repairs a re-plan may try on a failed calculator expression (1 on, 0 off).
    repair_thousands_separator: { default: 1, min: 0, max: 1, step: 1 },
    repair_decimal_comma: { default: 1, min: 0, max: 1, step: 1 },
    repair_times_sign: { default: 1, min: 0, max: 1, step: 1 },
    repair_words: { default: 1, min: 0, max: 1, step: 1 },
    // Repairs of a failed unit conversion: drop "degrees", try the last word of a unit.
    repair_unit_words: { default: 1, min: 0, max: 1, step: 1 },
  },
  run: function (input, params) {
    if (!input || typeof input.op !== 'string') throw new Error('Input must be { op: "plan" | "functions" | "decide" | "replan", ... }');
    switch (input.op) {
      case 'plan': return plan(input, params);
      case 'functions': return functions(input);
      case 'decide': return decide(input, params);
      case 'replan': return replan(input, params);
      default: throw new Error('Unknown op "' + input.op + '"');
    }
  },
};

// How each intent becomes a step: its arguments from the request's entities, and why.
var STEP_RULES = {
  arithmetic: { args: function (e) { return { expression: e.expression }; }, reason: 'the message is an arithmetic expression' },
  unit_conversion: { args: function (e) { return { value: e.value, from: e.from, to: e.to }; }, reason: 'a unit conversion was requested' },
  remember: { args: function (e) { return { op: 'remember', text: e.text }; }, reason: 'the user asked me to remember something' },
  recall: { args: function (e) { return { op: 'recall', query: e.query }; }, reason: 'the user asks about something they told me' },
  docs_question: { args: function (e) { return { query: e.query }; }, reason: 'the question is about Evoscope; its docs have the answer' },
};

function stepKindOf(tool) {
  if (tool.type === 'memory') return 'memory';
  if (tool.kind === 'rag') return 'rag';
  return 'tool';
}

function toolList(tools) {
  if (!Array.isArray(tools)) throw new Error('tools must be an array of manifests');
  return tools;
}

function toolsByName(tools) {
  var byName = {};
  tools.forEach(function (t) { if (t && typeof t.name === 'string') byName[t.name] = t; });
  return byName;
}

function stepNumber(input) {
  var n = input.next_step === undefined ? 1 : input.next_step;
  if (typeof n !== 'number' || n < 1 || Math.floor(n) !== n) throw new Error('next_step must be a positive integer');
  return n;
}

function plan(input, params) {
  if (!Array.isArray(input.requests)) throw new Error('plan needs requests: the analyser\'s requests');
  var byName = toolsByName(toolList(input.tools));
  var first = stepNumber(input);
  var steps = [];
  var skipped = [];
  input.requests.forEach(function (r) {
    var rule = STEP_RULES[r.intent];
    var tool = r.tool && byName[r.tool];
    if (!rule || !tool) {
      if (r.tool) skipped.push({ text: r.text, reason: 'no tool named ' + r.tool + ' is available' });
      return;
    }
    if (steps.length >= params.max_plan_steps) {
      skipped.push({ text: r.text, reason: 'the plan already holds ' + params.max_plan_steps + ' steps' });
      return;
    }
    var args = rule.args(r.entities || {});
    var key = tool.name + ' ' + JSON.stringify(args);
    if (steps.some(function (s) { return s.component + ' ' + JSON.stringify(s.args) === key; })) return;
    steps.push({ id: 'step-' + (first + steps.length), kind: stepKindOf(tool), component: tool.name, args: args, reason: rule.reason });
  });
  return { steps: steps, skipped: skipped };
}

// Functions a model may call. Tools expose their own input schema; memory and retrieval get
// host-shaped functions, because the host supplies their data.
function functionsOf(tools) {
  var list = [];
  tools.forEach(function (t) {
    if (t.type === 'memory') {
      list.push({
        name: 'remember_fact', description: 'Store a fact the user asked to remember',
        parameters: { type: 'object', properties: { op: { type: 'string', enum: ['remember'] }, text: { type: 'string' } }, required: ['op', 'text'] },
        step: { kind: 'memory', component: t.name },
      }, {
        name: 'recall_facts', description: 'Look up facts the user told earlier in this session',
        parameters: { type: 'object', properties: { op: { type: 'string', enum: ['recall'] }, query: { type: 'string' } }, required: ['op', 'query'] },
        step: { kind: 'memory', component: t.name },
      });
    } else if (t.kind === 'rag') {
      list.push({
        name: 'search_docs', description: t.description,
        parameters: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] },
        step: { kind: 'rag', component: t.name },
      });
    } else if (t.type === 'tool') {
      list.push({ name: t.name, description: t.description, parameters: t.input_schema, step: { kind: 'tool', component: t.name } });
    }
  });
  return list;
}

function functionNameOf(step, list) {
  if (step.kind === 'memory') return step.args && step.args.op === 'remember' ? 'remember_fact' : 'recall_facts';
  var match = list.filter(function (f) { return f.step.component === step.component; })[0];
  return match ? match.name : step.component;
}

// The planning prompt; after a failure it also carries what each step returned, as the
// model's own earlier tool calls and their results, so the model re-plans from them.
function functions(input) {
  if (typeof input.content !== 'string') throw new Error('functions needs content: the user message');
  var list = functionsOf(toolList(input.tools));
  var intent = input.intent && input.intent.intent ? input.intent.intent : 'chitchat';
  var messages = [
    { role: 'system', content: 'Decide which tools answer the user\'s message (intent: ' + intent + '). Call none if no tool helps.' },
    { role: 'user', content: input.content },
  ];
  var observations = Array.isArray(input.observations) ? input.observations : [];
  if (observations.length > 0) {
    messages.push({
      role: 'assistant', content: '',
      tool_calls: observations.map(function (o) {
        return { id: 'call-' + o.stepId, type: 'function', function: { name: functionNameOf(o.step, list), arguments: JSON.stringify(o.step.args) } };
      }),
    });
    observations.forEach(function (o) {
      messages.push({ role: 'tool', tool_call_id: 'call-' + o.stepId, content: o.ok ? JSON.stringify(o.output) : 'Error: ' + o.error });
    });
    messages.push({ role: 'system', content: 'A step failed. Call the tools again with corrected arguments, or call none to answer with what you have.' });
  }
  return { functions: list, messages: messages };
}

// After each step (and after a re-plan): go on, re-plan the step that just failed, or stop.
// A failure already re-planned (`replanned`) is not re-planned again.
function decide(input, params) {
  var outcomes = Array.isArray(input.outcomes) ? input.outcomes : [];
  var last = outcomes[outcomes.length - 1];
  var replans = input.replans || 0;
  var pending = input.pending || 0;
  if (input.exhausted) {
    return stop(outcomes, input.exhausted === 'time' ? 'the time budget is spent' : 'the step limit is reached');
  }
  var failedNow = last && !last.ok && !last.replanned;
  if (failedNow && replans < params.max_replans) {
    return { action: 'replan', reason: last.component + ' failed: re-plan ' + (replans + 1) + ' of ' + params.max_replans };
  }
  if (pending > 0) return { action: 'continue', reason: pending + ' planned step' + (pending === 1 ? '' : 's') + ' left' };
  if (last && !last.ok) return stop(outcomes, failedNow ? last.component + ' failed and no re-plan is left' : 'the re-plan found no other way');
  return stop(outcomes, outcomes.length === 0 ? 'no step is needed' : 'every planned step is done');
}

// Answer when there is something to say; give up when every step failed.
function stop(outcomes, why) {
  var succeeded = outcomes.filter(function (o) { return o.ok; }).length;
  if (outcomes.length === 0 || succeeded === outcomes.length) return { action: 'answer', reason: why };
  if (succeeded > 0) return { action: 'answer', reason: why + ': answer with the ' + succeeded + ' step' + (succeeded === 1 ? '' : 's') + ' that succeeded' };
  return { action: 'give_up', reason: why + ' and no step succeeded' };
}

// [tunable, pattern, replacement]: rewrites of an expression the calculator refused.
var EXPRESSION_REPAIRS = [
  ['repair_thousands_separator', /(\d),(\d{3})(?!\d)/g, '$1$2'],
  ['repair_decimal_comma', /(\d),(\d)/g, '$1.$2'],
  ['repair_times_sign', /(\d)\s*[x×]\s*(?=[\d(])/g, '$1 * '],
  ['repair_words', /\b(?:please|plus|minus|times|divided by|squared)\b/gi, function (word) {
    return { please: '', plus: '+', minus: '-', times: '*', 'divided by': '/', squared: '^2' }[word.toLowerCase()];
  }],
];

function repairExpression(expression, params) {
  var repaired = expression;
  EXPRESSION_REPAIRS.forEach(function (rule) {
    if (params[rule[0]]) repaired = repaired.replace(rule[1], rule[2]);
  });
  repaired = repaired.replace(/\s+/g, ' ').trim();
  return repaired !== expression.trim() ? repaired : null;
}

function repairUnit(text) {
  var words = String(text).replace(/\bdegrees?\s+/i, '').trim().split(/\s+/);
  var last = words[words.length - 1];
  return last && last !== text ? last : null;
}

var REPAIRS = {
  calculator: function (args, error, params) {
    var expression = typeof args.expression === 'string' ? repairExpression(args.expression, params) : null;
    return expression ? { args: { expression: expression }, reason: 'rewrote the expression the calculator refused (' + error + ')' } : null;
  },
  unit_convert: function (args, error, params) {
    if (!params.repair_unit_words) return null;
    var from = repairUnit(args.from);
    var to = repairUnit(args.to);
    if (!from && !to) return null;
    return { args: { value: args.value, from: from || args.from, to: to || args.to }, reason: 'simplified the units unit_convert refused (' + error + ')' };
  },
};

function replan(input, params) {
  var failed = input.failed;
  if (!failed || !failed.step || typeof failed.step.component !== 'string') throw new Error('replan needs failed: { step, error }');
  var repair = REPAIRS[failed.step.component];
  var fixed = repair ? repair(failed.step.args || {}, String(failed.error || ''), params) : null;
  if (!fixed) return { steps: [], reason: 'no other way to run ' + failed.step.component + ': ' + failed.error };
  return {
    steps: [{ id: 'step-' + stepNumber(input), kind: failed.step.kind, component: failed.step.component, args: fixed.args, reason: fixed.reason }],
    reason: fixed.reason,
  };
}
