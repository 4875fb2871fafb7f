// The model selector: which of the available models (a configured endpoint, the built-in
// offline model) serves each intent, in order of preference; the host uses the first one
// of a route and the rest as fallbacks when it is unavailable.
var component = {
  name: 'model_selector',
  type: 'model',
  description:
    'Routes each intent to a model: the configured OpenAI-compatible model or the built-in offline model, ' +
    'with fallbacks in order, and names the model that analyses the message.',
  input_schema: {
    type: 'object',
    properties: {
      models: {
        type: 'array',
        description: 'The available models, supplied by the host',
        items: {
          type: 'object',
          properties: { id: { type: 'string' }, offline: { type: 'boolean' } },
          required: ['id', 'offline'],
        },
      },
    },
    required: ['models'],
  },
  tunables: {
    // 1: the offline model serves this intent first even when a model is configured
    // (its deterministic tools answer it as well, without a round trip).
    offline_first_arithmetic: { default: 0, min: 0, max: 1, step: 1 },
    offline_first_unit_conversion: { default: 0, min: 0, max: 1, step: 1 },
    offline_first_remember: { default: 0, min: 0, max: 1, step: 1 },
    offline_first_recall: { default: 0, min: 0, max: 1, step: 1 },
    offline_first_docs_question: { default: 0, min: 0, max: 1, step: 1 },
    offline_first_long_form: { default: 0, min: 0, max: 1, step: 1 },
    offline_first_chitchat: { default: 0, min: 0, max: 1, step: 1 },
    // 1: every route ends with the offline model, so a turn always has a model.
    offline_fallback: { default: 1, min: 0, max: 1, step: 1 },
  },
  run: function (input, params) {
    if (!input || !Array.isArray(input.models) || input.models.length === 0) {
      throw new Error('Input must be { models: [{ id, offline }] } with at least one model');
    }
    var models = input.models.filter(function (m) { return m && typeof m.id === 'string' && m.id !== ''; });
    if (models.length !== input.models.length) throw new Error('Every model needs a non-empty string id');
    var offline = models.filter(function (m) { return m.offline === true; }).map(function (m) { return m.id; });
    var configured = models.filter(function (m) { return m.offline !== true; }).map(function (m) { return m.id; });
    var routes = {};
    INTENTS.forEach(function (intent) {
      var order = params['offline_first_' + intent] ? offline.concat(configured) : configured.concat(offline);
      if (!params.offline_fallback && configured.length > 0) {
        order = params['offline_first_' + intent] ? order : configured.slice();
      }
      routes[intent] = order;
    });
    var analyser = configured.length > 0 ? configured[0] : offline[0];
    return {
      default: analyser,
      routes: routes,
      reason: configured.length > 0
        ? configured[0] + ' serves every intent not routed offline' + (params.offline_fallback && offline.length ? ', the offline model is the fallback' : '')
        : 'no model is configured: the offline model serves every intent',
    };
  },
};

var INTENTS = ['arithmetic', 'unit_conversion', 'remember', 'recall', 'docs_question', 'long_form', 'chitchat'];
