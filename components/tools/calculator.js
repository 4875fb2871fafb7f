// Arithmetic by recursive descent. Never eval/Function: the expression comes
// from users and models, and this file may itself be rewritten by evolution.
var component = {
  name: 'calculator',
  type: 'tool',
  description:
    'Evaluates an arithmetic expression exactly as written. Supports + - * / % ^ (power, right-associative), ' +
    'unary minus, parentheses, decimals and 1e3 notation, constants pi and e, and the functions sqrt, abs, ' +
    'round, floor, ceil, sin, cos, tan (radians), log (base 10), ln, min and max.',
  input_schema: {
    type: 'object',
    properties: {
      expression: { type: 'string', description: 'The expression, e.g. "(2 + 3) * 4 ^ 2 / sqrt(16)"', maxLength: 1000 },
    },
    required: ['expression'],
    additionalProperties: false,
  },
  tunables: {
    // Significant digits kept in the result; hides binary float noise such as 0.1 + 0.2.
    precision: { default: 12, min: 1, max: 15, step: 1 },
  },
  run: function (input, params) {
    var expression = input && input.expression;
    if (typeof expression !== 'string' || expression.trim() === '') {
      throw new Error('Input must be { expression: string } with a non-empty expression');
    }
    if (expression.length > 1000) throw new Error('Expression is longer than 1000 characters');
    var value = evaluate(expression);
    return { expression: expression, result: Number(value.toPrecision(params.precision)) };
  },
};

var CONSTANTS = { pi: Math.PI, e: Math.E };

function requireArity(name, args, count) {
  if (args.length !== count) {
    throw new Error(name + '() takes ' + count + ' argument' + (count === 1 ? '' : 's') + ', got ' + args.length);
  }
  return args[0];
}

var FUNCTIONS = {
  sqrt: function (args) {
    var x = requireArity('sqrt', args, 1);
    if (x < 0) throw new Error('sqrt() of a negative number is not a real number');
    return Math.sqrt(x);
  },
  abs: function (args) { return Math.abs(requireArity('abs', args, 1)); },
  round: function (args) { return Math.round(requireArity('round', args, 1)); },
  floor: function (args) { return Math.floor(requireArity('floor', args, 1)); },
  ceil: function (args) { return Math.ceil(requireArity('ceil', args, 1)); },
  sin: function (args) { return Math.sin(requireArity('sin', args, 1)); },
  cos: function (args) { return Math.cos(requireArity('cos', args, 1)); },
  tan: function (args) { return Math.tan(requireArity('tan', args, 1)); },
  log: function (args) {
    var x = requireArity('log', args, 1);
    if (x <= 0) throw new Error('log() is only defined for positive numbers');
    return Math.log10(x);
  },
  ln: function (args) {
    var x = requireArity('ln', args, 1);
    if (x <= 0) throw new Error('ln() is only defined for positive numbers');
    return Math.log(x);
  },
  min: function (args) {
    if (args.length === 0) throw new Error('min() needs at least one argument');
    return Math.min.apply(null, args);
  },
  max: function (args) {
    if (args.length === 0) throw new Error('max() needs at least one argument');
    return Math.max.apply(null, args);
  },
};

function tokenize(text) {
  var tokens = [];
  var i = 0;
  while (i < text.length) {
    var ch = text[i];
    if (/\s/.test(ch)) { i++; continue; }
    var rest = text.slice(i);
    var number = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(rest);
    if (number) {
      tokens.push({ kind: 'number', value: parseFloat(number[0]), text: number[0], pos: i });
      i += number[0].length;
      continue;
    }
    var word = /^[A-Za-z_][A-Za-z_0-9]*/.exec(rest);
    if (word) {
      tokens.push({ kind: 'name', value: word[0].toLowerCase(), text: word[0], pos: i });
      i += word[0].length;
      continue;
    }
    if (rest.indexOf('**') === 0) {
      tokens.push({ kind: 'op', value: '^', text: '**', pos: i });
      i += 2;
      continue;
    }
    var aliases = { '×': '*', '÷': '/', '−': '-' };
    var op = aliases[ch] || ch;
    if ('+-*/%^(),'.indexOf(op) !== -1) {
      tokens.push({ kind: 'op', value: op, text: ch, pos: i });
      i++;
      continue;
    }
    throw new Error("Unexpected character '" + ch + "' at position " + (i + 1));
  }
  tokens.push({ kind: 'end', value: null, text: 'end of expression', pos: text.length });
  return tokens;
}

// Grammar (lowest to highest precedence):
//   sum     := product (('+' | '-') product)*
//   product := unary (('*' | '/' | '%') unary)*
//   unary   := ('-' | '+') unary | power
//   power   := primary ('^' unary)?        right-associative; -2^2 = -(2^2)
//   primary := number | constant | name '(' sum (',' sum)* ')' | '(' sum ')'
function evaluate(text) {
  var tokens = tokenize(text);
  var index = 0;

  function peek() { return tokens[index]; }
  function isOp(value) { var t = tokens[index]; return t.kind === 'op' && t.value === value; }
  function unexpected(token) {
    if (token.kind === 'end') return new Error('Unexpected end of expression');
    return new Error("Unexpected '" + token.text + "' at position " + (token.pos + 1));
  }
  function expectOp(value) {
    if (!isOp(value)) throw unexpected(peek());
    index++;
  }

  function sum() {
    var value = product();
    while (isOp('+') || isOp('-')) {
      var op = tokens[index++].value;
      var right = product();
      value = op === '+' ? value + right : value - right;
    }
    return value;
  }

  function product() {
    var value = unary();
    while (isOp('*') || isOp('/') || isOp('%')) {
      var op = tokens[index++].value;
      var right = unary();
      if (op === '*') { value = value * right; continue; }
      if (right === 0) throw new Error('Division by zero');
      value = op === '/' ? value / right : value % right;
    }
    return value;
  }

  function unary() {
    if (isOp('-')) { index++; return -unary(); }
    if (isOp('+')) { index++; return unary(); }
    return power();
  }

  function power() {
    var base = primary();
    if (!isOp('^')) return base;
    index++;
    var exponent = unary();
    var value = Math.pow(base, exponent);
    if (Number.isNaN(value)) throw new Error('A negative number to a fractional power is not a real number');
    return value;
  }

  function primary() {
    var token = peek();
    if (token.kind === 'number') { index++; return token.value; }
    if (isOp('(')) {
      index++;
      var inner = sum();
      expectOp(')');
      return inner;
    }
    if (token.kind === 'name') {
      index++;
      if (Object.prototype.hasOwnProperty.call(FUNCTIONS, token.value)) {
        if (!isOp('(')) throw new Error(token.text + ' is a function: write ' + token.value + '(...)');
        index++;
        var args = [sum()];
        while (isOp(',')) { index++; args.push(sum()); }
        expectOp(')');
        return FUNCTIONS[token.value](args);
      }
      if (Object.prototype.hasOwnProperty.call(CONSTANTS, token.value)) return CONSTANTS[token.value];
      throw new Error("Unknown name '" + token.text + "' at position " + (token.pos + 1));
    }
    throw unexpected(token);
  }

  var value = sum();
  if (peek().kind !== 'end') throw unexpected(peek());
  if (!Number.isFinite(value)) throw new Error('The result is too large to represent');
  return value;
}
