/**
 * The change rules' must-pass cases are written `component:case_id`, or a bare `case_id` that
 * binds every component. Pure, so the experiment's verdict (concludeExperiment.ts) and its tests
 * read the rule one way.
 */

/** The case ids `component` must pass under `rules` (the change rules' must_pass_cases). */
export function mustPassCasesOf(rules: readonly string[], component: string): string[] {
  return rules
    .map((rule) => (rule.includes(':') ? rule.split(':') : [component, rule]))
    .filter(([forComponent]) => forComponent === component)
    .map(([, id]) => id);
}
