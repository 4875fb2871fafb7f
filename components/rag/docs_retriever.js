// Retrieval over markdown documents: section-aware word chunks ranked by BM25.
// Each chunk keeps the heading it sits under so answers can cite it.
var component = {
  name: 'docs_retriever',
  type: 'tool',
  kind: 'rag',
  description:
    'Searches the Evoscope documentation and returns the best matching passages with their file path and ' +
    'section heading, for answering questions about Evoscope with citations.',
  input_schema: {
    type: 'object',
    properties: {
      query: { type: 'string', description: 'What to look for', maxLength: 2000 },
      documents: {
        type: 'array',
        description: 'Markdown documents to search; supplied by the host',
        items: {
          type: 'object',
          properties: { path: { type: 'string' }, text: { type: 'string' } },
          required: ['path', 'text'],
        },
      },
      top_k: { type: 'integer', minimum: 1, maximum: 20, description: 'How many passages to return' },
    },
    required: ['query'],
  },
  tunables: {
    chunk_size: { default: 120, min: 30, max: 400, step: 10 },
    chunk_overlap: { default: 30, min: 0, max: 200, step: 5 },
    // BM25 term-frequency saturation and length normalisation.
    k1: { default: 1.2, min: 0.5, max: 2.5, step: 0.1 },
    b: { default: 0.75, min: 0, max: 1, step: 0.05 },
    top_k: { default: 3, min: 1, max: 20, step: 1 },
  },
  run: function (input, params) {
    if (!input || typeof input.query !== 'string' || input.query.trim() === '') {
      throw new Error('Input must be { query: string, documents: [{ path, text }] } with a non-empty query');
    }
    var documents = input.documents === undefined ? [] : input.documents;
    if (!Array.isArray(documents)) throw new Error('documents must be an array of { path, text }');
    documents.forEach(function (doc, i) {
      if (!doc || typeof doc.path !== 'string' || typeof doc.text !== 'string') {
        throw new Error('documents[' + i + '] must be { path: string, text: string }');
      }
    });
    var topK = input.top_k === undefined ? params.top_k : input.top_k;
    if (!Number.isInteger(topK) || topK < 1) throw new Error('top_k must be a positive integer');

    var chunks = [];
    documents.forEach(function (doc) {
      chunks = chunks.concat(chunkDocument(doc, params.chunk_size, params.chunk_overlap));
    });
    return { results: rankBm25(chunks, terms(input.query), params.k1, params.b).slice(0, topK) };
  },
};

var HEADING = /^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$/;

// Splits at headings first, then windows each section's words, so a chunk
// never straddles two sections and its heading is exact.
function chunkDocument(doc, chunkSize, chunkOverlap) {
  var size = Math.max(1, Math.floor(chunkSize));
  var step = Math.max(1, size - Math.floor(chunkOverlap));
  var chunks = [];
  splitSections(doc.text).forEach(function (section) {
    for (var start = 0; start < section.words.length; start += step) {
      var words = section.words.slice(start, start + size);
      chunks.push({
        path: doc.path,
        chunk_index: chunks.length,
        heading: section.heading,
        text: words.join(' '),
        // The heading's words count for every chunk of its section: a passage
        // deep in "Autonomy levels" is still about autonomy levels.
        terms: terms(section.heading + ' ' + words.join(' ')),
      });
      if (start + size >= section.words.length) break;
    }
  });
  return chunks;
}

function splitSections(text) {
  var sections = [];
  var current = { heading: '', words: [] };
  var inCodeFence = false;
  text.split(/\r?\n/).forEach(function (line) {
    if (/^\s*(```|~~~)/.test(line)) inCodeFence = !inCodeFence;
    var heading = inCodeFence ? null : HEADING.exec(line);
    if (heading) {
      sections.push(current);
      current = { heading: heading[1], words: [] };
      return;
    }
    var words = line.split(/\s+/).filter(Boolean);
    for (var i = 0; i < words.length; i++) current.words.push(words[i]);
  });
  sections.push(current);
  return sections.filter(function (section) { return section.words.length > 0; });
}

function rankBm25(chunks, queryTerms, k1, b) {
  if (chunks.length === 0 || queryTerms.length === 0) return [];
  var uniqueQuery = queryTerms.filter(function (t, i) { return queryTerms.indexOf(t) === i; });
  var documentFrequency = {};
  var totalLength = 0;
  var termCounts = chunks.map(function (chunk) {
    totalLength += chunk.terms.length;
    var counts = {};
    chunk.terms.forEach(function (t) { counts[t] = (counts[t] || 0) + 1; });
    uniqueQuery.forEach(function (t) { if (counts[t]) documentFrequency[t] = (documentFrequency[t] || 0) + 1; });
    return counts;
  });
  var averageLength = totalLength / chunks.length || 1;
  var n = chunks.length;

  var scored = chunks.map(function (chunk, i) {
    var lengthNorm = 1 - b + b * (chunk.terms.length / averageLength);
    var score = 0;
    uniqueQuery.forEach(function (t) {
      var tf = termCounts[i][t] || 0;
      if (tf === 0) return;
      var df = documentFrequency[t];
      // Lucene's IDF: never negative, even for terms in most chunks.
      var idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      score += idf * (tf * (k1 + 1)) / (tf + k1 * lengthNorm);
    });
    return { chunk: chunk, score: score };
  });
  return scored
    .filter(function (s) { return s.score > 0; })
    .sort(function (x, y) {
      return y.score - x.score || (x.chunk.path < y.chunk.path ? -1 : x.chunk.path > y.chunk.path ? 1 : 0) ||
        x.chunk.chunk_index - y.chunk.chunk_index;
    })
    .map(function (s) {
      return {
        path: s.chunk.path,
        chunk_index: s.chunk.chunk_index,
        score: Math.round(s.score * 1000) / 1000,
        snippet: s.chunk.text,
        heading: s.chunk.heading,
      };
    });
}

var STOP_WORDS = (
  'a an the and or but if then so of to in on at by for with from about as into than this that these those ' +
  'is are was were be been being am do does did have has had will would can could should shall may might must ' +
  'i me my we us our you your he him his she her it its they them their ' +
  'what which who whom whose when where why how please tell explain describe not no also very there here'
).split(' ');

// Lower-case words minus stop-words, lightly stemmed ("levels" meets "level").
// Components are self-contained files, so this is deliberately local.
function terms(text) {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) || [])
    .filter(function (word) { return STOP_WORDS.indexOf(word) === -1; })
    .map(stem);
}

function stem(word) {
  if (word.length > 4 && /ies$/.test(word)) return word.slice(0, -3) + 'y';
  if (word.length > 5 && /ing$/.test(word)) return word.slice(0, -3);
  if (word.length > 4 && /ed$/.test(word)) return word.slice(0, -2);
  if (word.length > 3 && /s$/.test(word) && !/ss$/.test(word)) return word.slice(0, -1);
  return word;
}
