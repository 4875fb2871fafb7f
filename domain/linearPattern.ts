/**
 * Suite patterns (`matches`, `error_matches`) come from people and from models and run against
 * output a component controls, on the worker's main thread. JavaScript's backtracking RegExp
 * can take exponential time on a pattern such as `(a+)+$`, blocking every turn and heartbeat of
 * that worker; RE2 (here its pure-JavaScript port, which needs no compiler at install) matches in
 * time linear in the input. Its syntax is JavaScript's without backreferences and lookaround,
 * and with repeat counts of at most 1,000: a pattern outside that is refused where suites are
 * accepted, and fails its case (never throws) if one was stored before.
 */
import { RE2JS } from 're2js';

export interface LinearPattern {
  /** Whether the pattern matches anywhere in `text` (RegExp.prototype.test without flags). */
  test(text: string): boolean;
}

/** Compiles a JavaScript-syntax pattern for linear-time matching; throws with the reason RE2 refuses it. */
export function compileLinearPattern(pattern: string): LinearPattern {
  try {
    // translateRegExp maps the JavaScript spellings RE2 writes differently (\uXXXX, (?<name>)).
    return RE2JS.compile(RE2JS.translateRegExp(pattern));
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new Error(`/${pattern}/ cannot be matched in linear time (no backreferences or lookaround): ${reason}`, {
      cause: err,
    });
  }
}

/** Why `pattern` is refused, or null when it compiles. */
export function linearPatternProblem(pattern: string): string | null {
  try {
    compileLinearPattern(pattern);
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}
