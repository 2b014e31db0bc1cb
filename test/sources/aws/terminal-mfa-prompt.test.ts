import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { terminalMfaPrompt } from "../../../src/sources/aws/terminal-mfa-prompt.js";

const ALICE = "arn:aws:iam::111111111111:mfa/alice";
const BOB = "arn:aws:iam::111111111111:mfa/bob";

function terminal() {
  const input = new PassThrough();
  const written: string[] = [];
  return { input, written, prompt: terminalMfaPrompt(input, { write: (text: string) => written.push(text) }) };
}

describe("terminalMfaPrompt", () => {
  it("prints the prompt, reads one line, and asks once per serial", async () => {
    const { input, written, prompt } = terminal();
    const first = prompt(ALICE);
    input.write("12345");
    input.write("6\r\n");
    expect(await first).toBe("123456");
    expect(await prompt(ALICE)).toBe("123456");
    // Piped input is not echoed: the prompt's line is ended for it.
    expect(written).toEqual([`MFA code for ${ALICE}: `, "\n"]);
  });

  it("on a terminal, which echoes the Enter key, adds no line end of its own", async () => {
    const input = Object.assign(new PassThrough(), { isTTY: true });
    const written: string[] = [];
    const prompt = terminalMfaPrompt(input, { write: (text: string) => written.push(text) });
    input.write("654321\n");
    expect(await prompt(ALICE)).toBe("654321");
    expect(written).toEqual([`MFA code for ${ALICE}: `]);
  });

  it("asks for a second serial after the first, from the next line", async () => {
    const { input, written, prompt } = terminal();
    input.write(" 111111 \n222222\n");
    const [alice, bob] = await Promise.all([prompt(ALICE), prompt(BOB)]);
    expect([alice, bob]).toEqual(["111111", "222222"]);
    expect(written).toEqual([`MFA code for ${ALICE}: `, "\n", `MFA code for ${BOB}: `, "\n"]);
  });

  it("rejects a code that is not 6 digits", async () => {
    const { input, prompt } = terminal();
    input.write("12 34\n");
    await expect(prompt(ALICE)).rejects.toThrow(`MFA code for ${ALICE} must be 6 digits`);
  });

  it("rejects when the input ends before a code is typed", async () => {
    const { input, prompt } = terminal();
    const asked = prompt(ALICE);
    input.end();
    await expect(asked).rejects.toThrow(`no MFA code for ${ALICE}: the input ended before one was typed`);
  });

  it("takes a last line without a newline at end of input", async () => {
    const { input, prompt } = terminal();
    input.end("654321");
    expect(await prompt(ALICE)).toBe("654321");
  });
});
