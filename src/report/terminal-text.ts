/**
 * Log fields are attacker-controlled (session names, user agents, file names): an ANSI escape in a
 * session name must not repaint the responder's terminal. Every string bound for a terminal passes here.
 */
// C0 and C1 control characters, DEL, and Unicode bidi/format controls that reorder or hide text.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** Terminal-safe and bounded: a 10 MB user agent should not fill the scrollback. */
export function terminalCell(text: string | null | undefined, maxLength = 120): string {
  if (text === null || text === undefined || text === "") return "-";
  const safe = terminalSafe(text);
  return safe.length > maxLength ? `${safe.slice(0, maxLength - 1)}…` : safe;
}
