import { readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { gunzipSync } from "node:zlib";

export type TrailRecord = Record<string, unknown> & { eventID: string; eventName: string; eventTime: string; recipientAccountId: string; awsRegion: string };

export interface LogFile {
  /** Path relative to logs/, with forward slashes. */
  key: string;
  accountId: string;
  region: string;
  /** The delivery time the name carries (minute precision). */
  stampMs: number;
  datePath: string;
  /** Decompressed bytes, exactly as written. */
  text: string;
  records: TrailRecord[];
}

export interface DigestFile {
  key: string;
  accountId: string;
  region: string;
  body: Record<string, unknown>;
}

export interface Corpus {
  logFiles: LogFile[];
  digestFiles: DigestFile[];
  /** Every copy of every record, by eventID (exact duplicates appear more than once). */
  byEventId: Map<string, { record: TrailRecord; file: LogFile }[]>;
}

const LOG_KEY = /^AWSLogs\/(o-[a-z0-9]{10})\/(\d{12})\/CloudTrail\/([a-z0-9-]+)\/(\d{4}\/\d{2}\/\d{2})\/(\d{12})_CloudTrail_([a-z0-9-]+)_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})Z_[A-Za-z0-9]{16}\.json\.gz$/;
const DIGEST_KEY = /^AWSLogs\/(o-[a-z0-9]{10})\/(\d{12})\/CloudTrail-Digest\/([a-z0-9-]+)\/(\d{4}\/\d{2}\/\d{2})\/(\d{12})_CloudTrail-Digest_([a-z0-9-]+)_org-trail_us-east-1_\d{8}T\d{6}Z\.json\.gz$/;

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    return entry.isDirectory() ? walk(full) : [full];
  });
}

/** Reads a whole (small) generated corpus; throws on any file whose name or body is not CloudTrail's shape. */
export function readCorpus(logsDir: string): Corpus {
  const logFiles: LogFile[] = [];
  const digestFiles: DigestFile[] = [];
  const byEventId: Corpus["byEventId"] = new Map();
  for (const path of walk(logsDir).sort()) {
    const key = relative(logsDir, path).split(sep).join("/");
    const text = gunzipSync(readFileSync(path)).toString("utf8");
    const digest = DIGEST_KEY.exec(key);
    if (digest) {
      digestFiles.push({ key, accountId: digest[2]!, region: digest[3]!, body: JSON.parse(text) as Record<string, unknown> });
      continue;
    }
    const m = LOG_KEY.exec(key);
    if (!m) throw new Error(`unexpected file name ${key}`);
    if (m[2] !== m[5] || m[3] !== m[6]) throw new Error(`${key}: folder and name disagree`);
    const parsed = JSON.parse(text) as { Records: TrailRecord[] };
    const file: LogFile = {
      key, accountId: m[2]!, region: m[3]!, datePath: m[4]!, text, records: parsed.Records,
      stampMs: Date.UTC(Number(m[7]), Number(m[8]) - 1, Number(m[9]), Number(m[10]), Number(m[11])),
    };
    logFiles.push(file);
    for (const record of file.records) {
      const copies = byEventId.get(record.eventID);
      if (copies) copies.push({ record, file });
      else byEventId.set(record.eventID, [{ record, file }]);
    }
  }
  return { logFiles, digestFiles, byEventId };
}

export function only(corpus: Corpus, eventId: string): { record: TrailRecord; file: LogFile } {
  const copies = corpus.byEventId.get(eventId);
  if (!copies || copies.length === 0) throw new Error(`event ${eventId} is not in the corpus`);
  return copies[0]!;
}
