import { describe, expect, it } from "vitest";
import { formatProgressLine, PROGRESS_LINE_MAX_WIDTH } from "../../src/report/progress-line.js";
import type { ScanProgress } from "../../src/sources/scan-progress.js";

const progress = (filesDone: number, filesTotal: number, bytesDone: number, bytesTotal: number, finished = false): ScanProgress =>
  ({ filesDone, filesTotal, bytesDone, bytesTotal, finished });

describe("formatProgressLine", () => {
  it("gives files and sizes, and no rate or ETA in the first second", () => {
    expect(formatProgressLine(progress(1234, 8408, 312_000_000, 2_149_000_000), 999))
      .toBe("reading logs: 1,234/8,408 files, 312/2,149 MB");
    expect(formatProgressLine(progress(1234, 8408, 312_000_000, 2_149_000_000), 0))
      .toBe("reading logs: 1,234/8,408 files, 312/2,149 MB");
  });

  it("gives the rate (bytes done over elapsed) and the ETA (bytes left at that rate) from 1 s on", () => {
    // 312 MB in 4 s = 78 MB/s; 1,837 MB left = 23.6 s, shown rounded up.
    expect(formatProgressLine(progress(1234, 8408, 312_000_000, 2_149_000_000), 4000))
      .toBe("reading logs: 1,234/8,408 files, 312/2,149 MB, 78 MB/s, ETA 0:24");
    // Exactly 1 s: 312 MB/s; 1,837 MB left = 5.9 s.
    expect(formatProgressLine(progress(1234, 8408, 312_000_000, 2_149_000_000), 1000))
      .toBe("reading logs: 1,234/8,408 files, 312/2,149 MB, 312 MB/s, ETA 0:06");
  });

  it("has no ETA once finished, and no rate while nothing has been read", () => {
    // 2,149 MB in 25 s = 85.96 MB/s.
    expect(formatProgressLine(progress(8408, 8408, 2_149_000_000, 2_149_000_000, true), 25_000))
      .toBe("reading logs: 8,408/8,408 files, 2,149/2,149 MB, 86 MB/s");
    expect(formatProgressLine(progress(0, 8408, 0, 2_149_000_000), 5000))
      .toBe("reading logs: 0/8,408 files, 0/2,149 MB");
  });

  it("picks the size unit from the total (at most 4 digits), rounding done down and the total up", () => {
    // 617,283 B/s; 3,765,433 B left = 6.1 s.
    expect(formatProgressLine(progress(3, 40, 1_234_567, 5_000_000), 2000))
      .toBe("reading logs: 3/40 files, 1,234/5,000 kB, 617 kB/s, ETA 0:07");
    expect(formatProgressLine(progress(1, 2, 999, 1001), 10)).toBe("reading logs: 1/2 files, 0/2 kB");
    // 1.5 GB of 100 GB at 25 MB/s: 98.5 GB left = 3,940 s.
    expect(formatProgressLine(progress(10, 500, 1_500_000_000, 100_000_000_000), 60_000))
      .toBe("reading logs: 10/500 files, 1/100 GB, 25 MB/s, ETA 1:05:40");
  });

  it("shows a rate below 10 with one decimal, in the largest unit that keeps it at least 1", () => {
    // 4.2 MB/s; 45.8 MB left = 10.9 s.
    expect(formatProgressLine(progress(7, 90, 4_200_000, 50_000_000), 1000))
      .toBe("reading logs: 7/90 files, 4/50 MB, 4.2 MB/s, ETA 0:11");
    // 200 B/s: 500 MB would take 29 days.
    expect(formatProgressLine(progress(7, 90, 400, 500_000_000), 2000))
      .toBe("reading logs: 7/90 files, 0/500 MB, 0.2 kB/s, ETA >99h");
  });

  it("leaves the sizes out when the files hold no bytes", () => {
    expect(formatProgressLine(progress(1, 3, 0, 0), 5000)).toBe("reading logs: 1/3 files");
  });

  it("handles long numbers and still fits 80 columns", () => {
    // 99 TB in an hour = 27.5 GB/s; 24 TB left = 872.7 s.
    const big = formatProgressLine(progress(9_876_543, 12_345_678, 99e12, 123e12), 3_600_000);
    expect(big).toBe("reading logs: 9,876,543/12,345,678 files, 99/123 TB, 28 GB/s, ETA 14:33");
    expect(big.length).toBeLessThanOrEqual(PROGRESS_LINE_MAX_WIDTH);
    // Absurd counts give up the prefix rather than the ETA.
    const absurd = formatProgressLine(progress(123_456_789_012, 987_654_321_098, 5e12, 9_876e12), 1_000_000);
    expect(absurd).toBe("123,456,789,012/987,654,321,098 files, 5/9,876 TB, 5.0 GB/s, ETA >99h");
    expect(absurd.length).toBeLessThanOrEqual(PROGRESS_LINE_MAX_WIDTH);
  });

  it("never exceeds 79 characters, whatever the counts", () => {
    for (const files of [0, 9, 99_999, 9_999_999, 999_999_999_999]) {
      for (const bytes of [0, 1, 9_999_999, 9_999e9, 9e17]) {
        for (const elapsed of [0, 1000, 3_600_000]) {
          const line = formatProgressLine(progress(Math.floor(files / 2), files, Math.floor(bytes / 3), bytes), elapsed);
          expect(line.length, line).toBeLessThanOrEqual(PROGRESS_LINE_MAX_WIDTH);
        }
      }
    }
  });
});
