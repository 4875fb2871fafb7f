/**
 * Text spliced into a RegExp as itself: tunable and component names come from component files
 * (people's and models'), so a `.` or `(` in one must match that character, not act as syntax.
 */
export const literalPattern = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
