import { describe, expect, it } from "vitest";
import { createProgressDisplay, type ProgressDisplayOptions } from "../../src/cli/progress-display.js";
import { formatProgressLine } from "../../src/report/progress-line.js";
import type { ScanProgress } from "../../src/sources/scan-progress.js";

const CLEAR = "\r\u001b[K";
const drawn = (p: ScanProgress, elapsedMs: number) => `\r${formatProgressLine(p, elapsedMs)}\u001b[K`;
const at = (filesDone: number, finished = false): ScanProgress =>
  ({ filesDone, filesTotal: 100, bytesDone: filesDone * 1_000_000, bytesTotal: 100_000_000, finished });

/** A stderr that records each write, and a clock the test moves. */
function setUp(stream: { isTTY?: boolean; columns?: number } = { isTTY: true, columns: 120 }, options: ProgressDisplayOptions = {}) {
  const writes: string[] = [];
  let t = 10_000;
  const display = createProgressDisplay({ ...stream, write: (text: string) => writes.push(text) }, { now: () => t, ...options });
  return { writes, display, advanceTo: (ms: number) => { t = 10_000 + ms; } };
}

describe("progress display on a terminal", () => {
  it("draws nothing in the first 0.5 s of a batch, then the line", () => {
    const { writes, display, advanceTo } = setUp();
    for (const ms of [100, 250, 499]) {
      advanceTo(ms);
      display.onProgress(at(ms / 50));
    }
    expect(writes).toEqual([]);
    advanceTo(500);
    display.onProgress(at(10));
    expect(writes).toEqual([drawn(at(10), 500)]);
    expect(writes[0]).toBe("\rreading logs: 10/100 files, 10/100 MB\u001b[K");
  });

  it("redraws at most every 100 ms, with the elapsed time for the rate", () => {
    const { writes, display, advanceTo } = setUp();
    // A file every 10 ms from 0.5 s to 1.49 s: 100 calls, 10 redraws.
    for (let ms = 500; ms < 1500; ms += 10) {
      advanceTo(ms);
      display.onProgress(at(Math.floor(ms / 20)));
    }
    expect(writes).toHaveLength(10);
    expect(writes[1]).toBe(drawn(at(30), 600));
    // From 1 s the rate and ETA appear: 70 MB in 1.4 s = 50 MB/s, 30 MB left = 0.6 s.
    expect(writes[9]).toBe("\rreading logs: 70/100 files, 70/100 MB, 50 MB/s, ETA 0:01\u001b[K");
  });

  it("clears the line when a batch finishes, and times the next batch from then", () => {
    const { writes, display, advanceTo } = setUp();
    advanceTo(800);
    display.onProgress(at(50));
    advanceTo(900);
    display.onProgress(at(100, true));
    expect(writes).toEqual([drawn(at(50), 800), CLEAR]);

    // The second batch starts at 0.9 s: nothing until 1.4 s.
    advanceTo(1300);
    display.onProgress(at(5));
    expect(writes).toHaveLength(2);
    advanceTo(1400);
    display.onProgress(at(8));
    expect(writes[2]).toBe(drawn(at(8), 500));
  });

  it("writes nothing at all for a batch shorter than 0.5 s", () => {
    const { writes, display, advanceTo } = setUp();
    advanceTo(200);
    display.onProgress(at(50));
    advanceTo(400);
    display.onProgress(at(100, true));
    display.clear();
    display.done();
    expect(writes).toEqual([]);
  });

  it("erases the line before any other text, which starts on a clean line", () => {
    const { writes, display, advanceTo } = setUp();
    display.write("rolechain: before any progress\n");
    advanceTo(600);
    display.onProgress(at(40));
    display.write("rolechain: a.json.gz: not gzip\n");
    // The next redraw comes back after it, still throttled.
    advanceTo(650);
    display.onProgress(at(41));
    advanceTo(700);
    display.onProgress(at(42));
    expect(writes).toEqual([
      "rolechain: before any progress\n",
      drawn(at(40), 600), CLEAR, "rolechain: a.json.gz: not gzip\n",
      drawn(at(42), 700),
    ]);
  });

  it("after done() erases the line and draws no more", () => {
    const { writes, display, advanceTo } = setUp();
    advanceTo(600);
    display.onProgress(at(40));
    display.done();
    advanceTo(5000);
    display.onProgress(at(90));
    display.clear();
    expect(writes).toEqual([drawn(at(40), 600), CLEAR]);
  });

  it("keeps the line one column short of a narrow terminal; a size of 0 counts as 80", () => {
    const narrow = setUp({ isTTY: true, columns: 30 });
    narrow.advanceTo(600);
    narrow.display.onProgress(at(40));
    expect(narrow.writes).toEqual(["\rreading logs: 40/100 files, 4\u001b[K"]);

    const unsized = setUp({ isTTY: true, columns: 0 });
    unsized.advanceTo(1000);
    unsized.display.onProgress({ filesDone: 9_876_543, filesTotal: 12_345_678, bytesDone: 99e12, bytesTotal: 123e12, finished: false });
    expect(unsized.writes).toEqual(["\rreading logs: 9,876,543/12,345,678 files, 99/123 TB, 99 TB/s, ETA 0:01\u001b[K"]);
  });
});

describe("progress display off", () => {
  for (const [name, stream, options] of [
    ["stderr is not a terminal", { isTTY: false }, {}],
    ["stderr does not say it is a terminal", {}, {}],
    ["--quiet", { isTTY: true, columns: 120 }, { quiet: true }],
  ] as const) {
    it(`writes only the other text when ${name}`, () => {
      const { writes, display, advanceTo } = setUp(stream, options);
      for (let ms = 0; ms <= 3000; ms += 50) {
        advanceTo(ms);
        display.onProgress(at(ms / 50));
        if (ms === 1000) display.write("rolechain: a problem\n");
      }
      display.onProgress(at(100, true));
      display.clear();
      display.done();
      expect(writes).toEqual(["rolechain: a problem\n"]);
    });
  }
});
