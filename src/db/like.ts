/**
 * A LIKE pattern matching the strings that start with `prefix`, taken literally: `%`, `_` and `\`
 * in a code (agency codes reach the paths from synced records) must not widen a scope.
 */
export function likePrefix(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}
