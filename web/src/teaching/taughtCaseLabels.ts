/** How the console names a taught case's split and a list of taught cases; the chat, the meta panel and the timeline say it alike. */

/** `held_out` → "held-out", anything else → "train". */
export const splitLabel = (split: string) => (split === 'held_out' ? 'held-out' : 'train');

/** "responder (train), planner (held-out)". */
export const taughtCasesLabel = (cases: readonly { component: string; split: string }[]) =>
  cases.map((c) => `${c.component} (${splitLabel(c.split)})`).join(', ');
