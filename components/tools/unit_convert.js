// Unit conversion through one base unit per category. Every unit is affine
// (base = value * factor + offset), which covers temperatures as well as the
// purely proportional units.
var component = {
  name: 'unit_convert',
  type: 'tool',
  description:
    'Converts a value between units of length, mass, volume, time, speed, data size and temperature. ' +
    'Accepts symbols and names, e.g. km, kilometers, mi, miles, lb, pounds, kg, °F, celsius, MB, GiB, mph. ' +
    'Volumes like cup, pint and gallon are US customary; data units with a capital prefix and lower-case b (Mb, Gb) are bits.',
  input_schema: {
    type: 'object',
    properties: {
      value: { type: 'number', description: 'The amount to convert' },
      from: { type: 'string', description: 'Unit of the value, e.g. "miles"' },
      to: { type: 'string', description: 'Unit to convert to, e.g. "km"' },
    },
    required: ['value', 'from', 'to'],
    additionalProperties: false,
  },
  tunables: {
    significant_digits: { default: 6, min: 2, max: 15, step: 1 },
  },
  run: function (input, params) {
    if (!input || typeof input.value !== 'number' || !Number.isFinite(input.value)) {
      throw new Error('Input must be { value: number, from: string, to: string } with a finite value');
    }
    var from = findUnit(input.from);
    var to = findUnit(input.to);
    if (from.category !== to.category) {
      throw new Error('Cannot convert ' + from.category + ' (' + from.symbol + ') to ' + to.category + ' (' + to.symbol + ')');
    }
    var base = input.value * from.factor + from.offset;
    if (from.category === 'temperature' && base < 0) {
      throw new Error(input.value + ' ' + from.symbol + ' is below absolute zero');
    }
    var result = Number(((base - to.offset) / to.factor).toPrecision(params.significant_digits));
    return {
      value: input.value,
      from: from.symbol,
      to: to.symbol,
      result: result,
      formatted: input.value + ' ' + from.symbol + ' = ' + result + ' ' + to.symbol,
    };
  },
};

// [category, symbol, factor to the base unit, offset, aliases...]
// Bases: metre, kilogram, litre, second, metre per second, byte, kelvin.
var UNIT_ROWS = [
  ['length', 'mm', 0.001, 0, 'millimeter', 'millimetre'],
  ['length', 'cm', 0.01, 0, 'centimeter', 'centimetre'],
  ['length', 'm', 1, 0, 'meter', 'metre'],
  ['length', 'km', 1000, 0, 'kilometer', 'kilometre', 'kms'],
  ['length', 'in', 0.0254, 0, 'inch', 'inches', '"'],
  ['length', 'ft', 0.3048, 0, 'foot', 'feet', "'"],
  ['length', 'yd', 0.9144, 0, 'yard'],
  ['length', 'mi', 1609.344, 0, 'mile'],
  ['length', 'nmi', 1852, 0, 'nautical mile'],

  ['mass', 'mg', 1e-6, 0, 'milligram', 'milligramme'],
  ['mass', 'g', 0.001, 0, 'gram', 'gramme', 'gr'],
  ['mass', 'kg', 1, 0, 'kilogram', 'kilogramme', 'kilo', 'kgs'],
  ['mass', 't', 1000, 0, 'tonne', 'metric ton'],
  ['mass', 'oz', 0.028349523125, 0, 'ounce'],
  ['mass', 'lb', 0.45359237, 0, 'pound', 'lbs'],
  ['mass', 'st', 6.35029318, 0, 'stone'],

  ['volume', 'ml', 0.001, 0, 'milliliter', 'millilitre', 'cc'],
  ['volume', 'cl', 0.01, 0, 'centiliter', 'centilitre'],
  ['volume', 'dl', 0.1, 0, 'deciliter', 'decilitre'],
  ['volume', 'l', 1, 0, 'liter', 'litre'],
  ['volume', 'm3', 1000, 0, 'm³', 'cubic meter', 'cubic metre'],
  ['volume', 'tsp', 0.00492892159375, 0, 'teaspoon'],
  ['volume', 'tbsp', 0.01478676478125, 0, 'tablespoon'],
  ['volume', 'fl oz', 0.0295735295625, 0, 'fluid ounce', 'floz'],
  ['volume', 'cup', 0.2365882365, 0],
  ['volume', 'pt', 0.473176473, 0, 'pint'],
  ['volume', 'qt', 0.946352946, 0, 'quart'],
  ['volume', 'gal', 3.785411784, 0, 'gallon', 'us gallon'],
  ['volume', 'imp gal', 4.54609, 0, 'imperial gallon'],

  ['time', 'ms', 0.001, 0, 'millisecond'],
  ['time', 's', 1, 0, 'sec', 'second'],
  ['time', 'min', 60, 0, 'minute', 'mins'],
  ['time', 'h', 3600, 0, 'hr', 'hour', 'hrs'],
  ['time', 'day', 86400, 0, 'd'],
  ['time', 'week', 604800, 0, 'wk'],
  // Julian year: the average calendar year including leap days.
  ['time', 'year', 31557600, 0, 'yr'],

  ['speed', 'm/s', 1, 0, 'mps', 'meter per second', 'metre per second', 'meters per second', 'metres per second'],
  ['speed', 'km/h', 1 / 3.6, 0, 'kph', 'kmh', 'kmph', 'kilometer per hour', 'kilometre per hour', 'kilometers per hour', 'kilometres per hour'],
  ['speed', 'mph', 0.44704, 0, 'mi/h', 'mile per hour', 'miles per hour'],
  ['speed', 'kn', 0.514444444444, 0, 'knot', 'kt', 'kts'],
  ['speed', 'ft/s', 0.3048, 0, 'fps', 'foot per second', 'feet per second'],

  ['data', 'bit', 0.125, 0],
  ['data', 'B', 1, 0, 'byte'],
  ['data', 'kB', 1e3, 0, 'kilobyte'],
  ['data', 'MB', 1e6, 0, 'megabyte'],
  ['data', 'GB', 1e9, 0, 'gigabyte'],
  ['data', 'TB', 1e12, 0, 'terabyte'],
  ['data', 'PB', 1e15, 0, 'petabyte'],
  ['data', 'KiB', 1024, 0, 'kibibyte'],
  ['data', 'MiB', 1048576, 0, 'mebibyte'],
  ['data', 'GiB', 1073741824, 0, 'gibibyte'],
  ['data', 'TiB', 1099511627776, 0, 'tebibyte'],
  ['data', 'kbit', 125, 0, 'kilobit'],
  ['data', 'Mbit', 125e3, 0, 'megabit'],
  ['data', 'Gbit', 125e6, 0, 'gigabit'],
  ['data', 'Tbit', 125e9, 0, 'terabit'],

  ['temperature', '°C', 1, 273.15, 'c', 'celsius', 'centigrade', 'degc', 'deg c', 'degree celsius'],
  ['temperature', '°F', 5 / 9, 459.67 * 5 / 9, 'f', 'fahrenheit', 'degf', 'deg f', 'degree fahrenheit'],
  ['temperature', 'K', 1, 0, 'k', 'kelvin', 'kelvins'],
];

// Symbols where letter case carries meaning (bits vs bytes); matched before
// the case-insensitive table so "Mb" is a megabit while "mb" and "MB" are megabytes.
var CASE_SENSITIVE_ALIASES = { b: 'bit', Kb: 'kbit', Mb: 'Mbit', Gb: 'Gbit', Tb: 'Tbit', B: 'B' };

function buildUnitTables() {
  var bySymbol = {};
  var byAlias = {};
  UNIT_ROWS.forEach(function (row) {
    var unit = { category: row[0], symbol: row[1], factor: row[2], offset: row[3] };
    bySymbol[unit.symbol] = unit;
    [unit.symbol].concat(row.slice(4)).forEach(function (alias) {
      byAlias[normalizeUnitText(alias)] = unit;
    });
  });
  return { bySymbol: bySymbol, byAlias: byAlias };
}

function normalizeUnitText(text) {
  return text
    .trim()
    .toLowerCase()
    .replace(/\s+/g, ' ')
    // "degree celsius" and "degrees celsius" are one alias.
    .replace(/^degree /, 'degrees ')
    .replace(/\.$/, '');
}

var UNITS = buildUnitTables();

function findUnit(text) {
  if (typeof text !== 'string' || text.trim() === '') throw new Error('Units must be non-empty strings');
  var trimmed = text.trim();
  if (Object.prototype.hasOwnProperty.call(CASE_SENSITIVE_ALIASES, trimmed)) {
    return UNITS.bySymbol[CASE_SENSITIVE_ALIASES[trimmed]];
  }
  var key = normalizeUnitText(trimmed);
  // Plurals ("kilometers", "inches") share the singular alias.
  var candidates = [key, key.replace(/s$/, ''), key.replace(/es$/, '')];
  for (var i = 0; i < candidates.length; i++) {
    if (Object.prototype.hasOwnProperty.call(UNITS.byAlias, candidates[i])) return UNITS.byAlias[candidates[i]];
  }
  throw new Error("Unknown unit '" + text + "'");
}
