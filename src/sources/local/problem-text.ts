/**
 * Problem reasons are one line by contract, yet they quote file content (JSON.parse echoes the
 * input, keys come from the file). Control characters are shown escaped so a hostile file cannot
 * break the line or send terminal escapes through stderr; long reasons are cut.
 */
export function oneLine(text: string, maxLength = 300): string {
  const escaped = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (char) =>
    `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return escaped.length > maxLength ? `${escaped.slice(0, maxLength - 1)}…` : escaped;
}
