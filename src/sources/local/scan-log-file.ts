import { parseCloudTrailTime } from "../../core/cloudtrail-time.js";
import { normalizeRecord, type CloudTrailEvent, type RecordLocation } from "../../core/cloudtrail-event.js";
import { matchesEventQuery } from "../../core/event-query.js";
import { stringField } from "../../core/json-value.js";
import { containsAnyNeedle, MAX_NEEDLES, type CompiledQuery } from "./compiled-query.js";
import { CoverageAccumulator } from "./coverage-accumulator.js";
import { openDecompressed, type DecompressedFile } from "./decompressed-file.js";
import type { FileFingerprint } from "./file-fingerprint.js";
import { FileKeysAccumulator, type FileKeys } from "./file-keys.js";
import type { GunzipPool } from "./gunzip-pool.js";
import { firstNonWhitespace, isLineOrientedName, JsonTextAssembler, lastNonWhitespace, type JsonText } from "./json-text-assembler.js";
import { LineSplitter } from "./line-splitter.js";
import { classifyLogDocument, recordFromLookupEntry } from "./log-document.js";
import type { LogFileFacts } from "./log-file-facts.js";
import { oneLine } from "./problem-text.js";
import { rawRecordMayMatch, type RawRecordKeys } from "./raw-record-prefilter.js";
import { describeReadFailure } from "./read-failures.js";
import { keysMayMatch, type EventKeys } from "./keys-may-match.js";
import { scanTextCoverage } from "./scan-text-coverage.js";
import { hashString, scanTextKeys, textKeysFrom, widenTimeSpan, type RawTextKeys, type TextKeys } from "./text-keys.js";
import { fileWithinRange, type DeliveryTolerance } from "./file-pruning.js";
import { layoutTrailRecords, type TrailRecordLayout } from "./trail-record-layout.js";

export interface LogFile {
  /** As discovered (relative when the user gave a relative --source), or an s3:// URI: shown in reports. */
  path: string;
  facts: LogFileFacts;
  /** Where the bytes are when not at `path`: a downloaded object's place in the cache. */
  localPath?: string;
  /** Size as stored, when known before reading (for progress). */
  sizeBytes?: number;
  /** The file's real path (links resolved), when discovery knows it: one file, whatever root or link led to it. */
  realPath?: string;
}

export interface ScanSettings {
  /** Skip parsing texts whose keys (text-keys.ts) or needles show they cannot match. */
  useNeedleFilter: boolean;
  maxDocumentBytes: number;
  /** Where small files are read and gunzipped; null: on this thread. */
  pool?: GunzipPool | null;
  /** How far a file's records may stray from its path's delivery time; lets a scan know a time range holds the whole file. */
  tolerance?: DeliveryTolerance;
}

/** Where in a file something was: an NDJSON line and/or an index in a Records/Events/array list. */
export interface FilePosition { line: number | null; index: number | null }

/** The first unusable thing of a kind in a file, for a problem line. */
export interface FirstOccurrence { reason: string; where: FilePosition }

/** Counts that describe a file's content, for deciding whether it has a problem worth reporting. */
export interface FileTally {
  /** Some non-blank content was seen (false for an empty file). */
  sawContent: boolean;
  /** JSON texts (documents or NDJSON lines) parsed, and those that were not JSON or not CloudTrail. */
  texts: number;
  unusableTexts: number;
  firstUnusableText: FirstOccurrence | null;
  /** Records found in the parsed texts, and those normalizeRecord rejected. */
  records: number;
  rejectedRecords: number;
  firstRejectedRecord: FirstOccurrence | null;
  /** Texts that were CloudTrail logs (Records, Events, an array or a record), and digests (hashes, no events). */
  logDocuments: number;
  digests: number;
}

export interface FileScan {
  file: LogFile;
  /** matches[i] holds the records matching queries[i] of the scan. */
  matches: CloudTrailEvent[][];
  /** The file could be opened (false for EACCES and the like). */
  opened: boolean;
  /** What this file contributed to the search; empty when it contributed nothing. */
  coverage: CoverageAccumulator;
  bytesRead: number;
  textsSkippedByNeedles: number;
  /** Records of trail documents left unparsed because no query names their eventName (parseWantedRecords). */
  recordsSkippedByName: number;
  /** Every text was parsed, so the tally describes the whole file. */
  fullyParsed: boolean;
  /** Opening or streaming failed (permissions, gzip, size, not JSON): the scan stopped there. */
  failure: string | null;
  tally: FileTally;
  /** The whole file's keys, for the index; null when any text's keys were incomplete or the read failed. */
  keys: FileKeys | null;
  /** The file as it was opened; null when it could not be. */
  fingerprint: FileFingerprint | null;
}

/** Reads one file once and answers every query it is read for. Never throws for bad content. */
export async function scanLogFile(
  file: LogFile, queries: readonly CompiledQuery[], settings: ScanSettings,
): Promise<FileScan> {
  const scanner = new FileScanner(file, queries, settings.useNeedleFilter, settings.tolerance ?? null);
  let input: DecompressedFile | null = null;
  try {
    input = await openDecompressed(file.localPath ?? file.path, settings.pool ?? null, { layout: scanner.wantedNames !== null });
    scanner.scan.fingerprint = input.fingerprint;
    scanner.scan.opened = true;
    const whole = Array.isArray(input.chunks) && input.chunks.length === 1 ? input.chunks[0] as Buffer : null;
    if (whole && scanner.skipWholeDocument(whole, input.keys ?? null, input.layout)) {
      scanner.scan.bytesRead = input.bytesReadFromDisk();
      scanner.finish();
      return scanner.scan;
    }
    const splitter = new LineSplitter(settings.maxDocumentBytes);
    const assembler = new JsonTextAssembler(isLineOrientedName(file.path), settings.maxDocumentBytes,
      (text) => scanner.examineText(text));
    const onLine = (line: Buffer, lineNumber: number): void => assembler.pushLine(line, lineNumber);
    for await (const chunk of input.chunks) splitter.push(chunk as Buffer, onLine);
    splitter.end(onLine);
    assembler.end();
    scanner.scan.tally.sawContent = assembler.sawContent;
  } catch (error) {
    scanner.scan.failure = oneLine(describeReadFailure(error));
    scanner.scan.tally.sawContent = true;
  }
  scanner.scan.bytesRead = input?.bytesReadFromDisk() ?? 0;
  scanner.finish();
  return scanner.scan;
}

/**
 * The scan of a file that could not even be fetched (a download denied or failed): one "skipped"
 * problem with `failure` as its reason, nothing matched, nothing covered.
 */
export function failedScan(file: LogFile, queryCount: number, failure: string): FileScan {
  const scan = emptyScan(file, queryCount);
  scan.failure = oneLine(failure);
  scan.tally.sawContent = true;
  return scan;
}

function emptyScan(file: LogFile, queryCount: number): FileScan {
  return {
    file,
    matches: Array.from({ length: queryCount }, () => []),
    opened: false,
    coverage: new CoverageAccumulator(),
    bytesRead: 0,
    textsSkippedByNeedles: 0,
    recordsSkippedByName: 0,
    fullyParsed: true,
    failure: null,
    keys: null,
    fingerprint: null,
    tally: {
      sawContent: false, texts: 0, unusableTexts: 0, firstUnusableText: null,
      records: 0, rejectedRecords: 0, firstRejectedRecord: null, logDocuments: 0, digests: 0,
    },
  };
}

/** Usable records in a tally. */
export function usedRecords(tally: FileTally): number {
  return tally.records - tally.rejectedRecords;
}

class FileScanner {
  readonly scan: FileScan;
  private readonly location: RecordLocation;
  // Reused for every record: the hot loop allocates nothing for records that match no query.
  private readonly keys: RawRecordKeys = { eventID: "", eventName: "", eventTimeMs: null, accountId: null };
  private readonly coverageFromRecords: { accounts: boolean; regions: boolean };
  private readonly fileKeys = new FileKeysAccumulator();
  /** Per query: its needles, or null when it has none worth searching for. */
  private readonly needles: (readonly Buffer[] | null)[];
  /** Whether a text's byte-searched keys can rule out a query; if not, parsed texts take their keys from their records. */
  private readonly keysDecide: boolean;
  /** The keys of the text being parsed, collected record by record. */
  private recordKeys: (TextKeys & { eventIdHashes: number[] }) | null = null;
  /** Keys already found for a single-line document (skipWholeDocument), for its one text. */
  private documentKeys: TextKeys | null = null;
  /** The record layout a worker found for a single-line document, and that document's bytes. */
  private documentLayout: { of: Buffer; layout: TrailRecordLayout | null } | null = null;
  /**
   * Every event name the batch can match, as bytes, when every query names its events (a sweep, an
   * issuer search): a trail document's other records need not be parsed. Null otherwise.
   */
  readonly wantedNames: readonly Buffer[] | null;

  constructor(
    file: LogFile,
    private readonly queries: readonly CompiledQuery[],
    private readonly prefilter: boolean,
    tolerance: DeliveryTolerance | null,
  ) {
    this.location = { origin: file.path, accountId: file.facts.accountId, region: file.facts.region };
    this.coverageFromRecords = { accounts: file.facts.accountId === null, regions: file.facts.region === null };
    this.scan = emptyScan(file, queries.length);
    // Searching many needles costs a pass over the text each: past MAX_NEEDLES, parsing is cheaper.
    this.needles = queries.map((q) => (q.needles && q.needles.length <= MAX_NEEDLES ? q.needles : null));
    // A sweep's window holds whole files: searching their bytes for keys would only precede the parse.
    this.keysDecide = prefilter && queries.some((q) => q.eventIdHashes !== null
      || (q.query.timeRange !== undefined && (tolerance === null || !fileWithinRange(file.facts, q.query.timeRange, tolerance))));
    this.wantedNames = prefilter && queries.every((q) => q.eventNames !== null)
      ? [...new Set(queries.flatMap((q) => [...(q.eventNames ?? [])]))].map((name) => Buffer.from(name, "utf8"))
      : null;
  }

  /**
   * The common case, decided before the file is split into lines: one single-line document (what
   * CloudTrail writes) whose keys rule out every query. True when it was skipped so. Otherwise the
   * keys, if found, serve the document's examineText.
   */
  skipWholeDocument(content: Buffer, workerKeys: RawTextKeys | null, workerLayout: TrailRecordLayout | null | undefined): boolean {
    const singleLine = isSingleLineDocument(content);
    // The walk the worker did spares parseWantedRecords one of its own.
    if (this.wantedNames && workerLayout !== undefined && singleLine) this.documentLayout = { of: content, layout: workerLayout };
    if (!this.prefilter || !this.keysDecide || !singleLine) return false;
    const keys = workerKeys ? textKeysFrom(workerKeys) : scanTextKeys(content);
    if (this.textMayMatch(keys, content)) {
      this.documentKeys = keys;
      return false;
    }
    this.scan.tally.sawContent = true;
    this.skipText(content, keys);
    return true;
  }

  examineText(text: JsonText): void {
    let keys = this.keysDecide ? this.documentKeys ?? scanTextKeys(text.bytes) : null;
    const foundLayout = this.documentLayout;
    this.documentKeys = null;
    this.documentLayout = null;
    if (this.prefilter && !this.textMayMatch(keys, text.bytes)) {
      this.skipText(text.bytes, keys ?? scanTextKeys(text.bytes)); // keys for the index and the coverage
      return;
    }
    if (this.wantedNames) {
      // The worker walked the whole content: its offsets hold if this text starts where the content does.
      const sameStart = foundLayout !== null && foundLayout.of.buffer === text.bytes.buffer && foundLayout.of.byteOffset === text.bytes.byteOffset;
      const layout = sameStart ? foundLayout.layout : layoutTrailRecords(text.bytes);
      if (layout && this.parseWantedRecords(text, layout, this.wantedNames)) return;
    }
    if (keys) {
      this.fileKeys.add(keys);
      this.parseText(text);
      return;
    }
    this.recordKeys = { eventIdHashes: [], earliestMs: null, latestMs: null, complete: true };
    this.parseText(text);
    this.fileKeys.add(this.recordKeys);
    this.recordKeys = null;
  }

  /**
   * A trail document, parsed record by record, and only the records whose eventName is wanted (or
   * unknown, see trail-record-layout.ts). The others are counted as scanned: each is a record
   * normalizeRecord accepts, so the tally stays exact. The walk found every record's own keys (for
   * the index: exact, where a byte search may have found nested ones); the skipped records' coverage
   * is read off the text's bytes, as for a skipped text. False when a record to parse is not JSON:
   * the caller then parses the whole text, as before.
   */
  private parseWantedRecords(text: JsonText, layout: TrailRecordLayout, wantedNames: readonly Buffer[]): boolean {
    const bytes = text.bytes;
    const { spans } = layout;
    const wanted: { raw: unknown; index: number }[] = [];
    for (let k = 0, index = 0; k < spans.length; k += 4, index++) {
      const nameStart = spans[k + 2] as number;
      if (nameStart !== -1 && !isOneOf(bytes, nameStart, spans[k + 3] as number, wantedNames)) continue;
      try {
        wanted.push({ raw: JSON.parse(bytes.toString("utf8", spans[k] as number, spans[k + 1] as number)) as unknown, index });
      } catch {
        return false;
      }
    }
    const keys = textKeysFrom(layout.keys);
    this.fileKeys.add(keys);
    const tally = this.scan.tally;
    tally.texts++;
    tally.logDocuments++;
    tally.records += layout.records - wanted.length;
    this.scan.recordsSkippedByName += layout.records - wanted.length;
    if (wanted.length < layout.records) {
      scanTextCoverage(bytes, this.scan.coverage, this.coverageFromRecords, keys.complete ? keys : null);
    }
    for (const { raw, index } of wanted) this.examineRecord(raw, text, index);
    return true;
  }

  /** A text no query can match: its keys go to the index and its coverage is read off its bytes, unparsed. */
  private skipText(bytes: Buffer, keys: TextKeys): void {
    this.fileKeys.add(keys);
    this.scan.textsSkippedByNeedles++;
    this.scan.fullyParsed = false;
    scanTextCoverage(bytes, this.scan.coverage, this.coverageFromRecords, keys.complete ? keys : null);
  }

  private parseText(text: JsonText): void {
    const tally = this.scan.tally;
    tally.texts++;
    let value: unknown;
    try {
      value = JSON.parse(text.bytes.toString("utf8"));
    } catch (error) {
      this.unusableText(`not JSON: ${(error as Error).message}`, text);
      return;
    }
    const document = classifyLogDocument(value);
    switch (document.kind) {
      case "digest":
        tally.digests++;
        return;
      case "not-cloudtrail":
        this.unusableText(`not CloudTrail: ${document.reason}`, text);
        return;
      case "records": {
        tally.logDocuments++;
        const singleRecord = document.format === "record";
        document.records.forEach((raw, index) => this.examineRecord(raw, text, singleRecord ? null : index));
        return;
      }
      case "lookup-events":
        tally.logDocuments++;
        document.entries.forEach((entry, index) => {
          const embedded = recordFromLookupEntry(entry);
          if (embedded.ok) {
            this.examineRecord(embedded.raw, text, index);
          } else {
            tally.records++;
            this.rejectRecord(embedded.reason, text, index);
          }
        });
        return;
    }
  }

  /**
   * Whether any query may match a record of the text, judged by its keys and needles without parsing
   * it. Without keys (keysDecide false) only needles can rule a query out.
   */
  private textMayMatch(keys: TextKeys | null, bytes: Buffer): boolean {
    const view: EventKeys | null = keys && {
      complete: keys.complete,
      earliestMs: keys.earliestMs,
      latestMs: keys.latestMs,
      holdsEventId: (hash) => keys.eventIdHashes.includes(hash),
    };
    for (let i = 0; i < this.queries.length; i++) {
      const query = this.queries[i] as CompiledQuery;
      if (view && !keysMayMatch(view, query)) continue;
      const needles = this.needles[i];
      // A query's needles are its eventIDs when it has any (queryNeedles): complete keys have
      // already decided those, so the search is needed only for the other needle fields.
      const decidedByKeys = keys !== null && keys.complete && query.eventIdHashes !== null;
      if (needles && !decidedByKeys && !containsAnyNeedle(bytes, needles)) continue;
      return true;
    }
    return false;
  }

  /**
   * A file is part of the search when it held usable records, texts skipped as certainly not
   * matching, or a well-formed empty log; its path facts count as coverage only then.
   */
  finish(): void {
    const { tally, failure, textsSkippedByNeedles } = this.scan;
    const searched = textsSkippedByNeedles > 0 || usedRecords(tally) > 0
      || (failure === null && tally.logDocuments > 0 && tally.records === 0);
    if (failure === null) this.scan.keys = this.fileKeys.result();
    if (!searched) {
      this.scan.coverage = new CoverageAccumulator();
      return;
    }
    this.scan.coverage.addAccount(this.location.accountId);
    this.scan.coverage.addRegion(this.location.region);
  }

  private examineRecord(raw: unknown, text: JsonText, index: number | null): void {
    this.scan.tally.records++;
    let event: CloudTrailEvent | null = null;
    const keys = this.keys;
    const eventID = stringField(raw, "eventID");
    const eventName = stringField(raw, "eventName");
    if (eventID === null || eventName === null) {
      // Let the reference normaliser say what is missing (and accept the record if it ever stops requiring it).
      const normalized = normalizeRecord(raw, this.location);
      if (!normalized.ok) {
        this.rejectRecord(normalized.reason, text, index);
        return;
      }
      event = normalized.event;
    }
    keys.eventID = event?.eventID ?? eventID ?? "";
    keys.eventName = event?.eventName ?? eventName ?? "";
    keys.eventTimeMs = event ? event.eventTimeMs : parseCloudTrailTime(stringField(raw, "eventTime"));
    const recipientAccountId = stringField(raw, "recipientAccountId");
    keys.accountId = recipientAccountId ?? this.location.accountId;
    const recordKeys = this.recordKeys;
    if (recordKeys) {
      // Exact keys, from the parsed record (an eventID that is not a string matches no eventIds query).
      if (event !== null || eventID !== null) recordKeys.eventIdHashes.push(hashString(keys.eventID));
      widenTimeSpan(recordKeys, keys.eventTimeMs);
    }

    const coverage = this.scan.coverage;
    coverage.addEventTime(keys.eventTimeMs);
    if (this.coverageFromRecords.accounts) coverage.addAccount(recipientAccountId);
    if (this.coverageFromRecords.regions) coverage.addRegion(stringField(raw, "awsRegion"));

    for (let i = 0; i < this.queries.length; i++) {
      const query = this.queries[i] as CompiledQuery;
      if (!rawRecordMayMatch(raw, keys, query)) continue;
      if (event === null) {
        const normalized = normalizeRecord(raw, this.location);
        if (!normalized.ok) {
          this.rejectRecord(normalized.reason, text, index);
          return;
        }
        event = normalized.event;
      }
      if (matchesEventQuery(event, query.query)) this.scan.matches[i]?.push(event);
    }
  }

  private rejectRecord(reason: string, text: JsonText, index: number | null): void {
    const tally = this.scan.tally;
    tally.rejectedRecords++;
    tally.firstRejectedRecord ??= { reason, where: { line: text.isLine ? text.line : null, index } };
  }

  private unusableText(reason: string, text: JsonText): void {
    const tally = this.scan.tally;
    tally.unusableTexts++;
    tally.firstUnusableText ??= { reason, where: { line: text.line, index: null } };
  }
}

/** Whether bytes [start, end) are exactly one of `names`. */
function isOneOf(bytes: Buffer, start: number, end: number, names: readonly Buffer[]): boolean {
  return names.some((name) => name.length === end - start && name.compare(bytes, start, end) === 0);
}

/** A JSON document on one line: starts with { or [ and has no line break before its end. */
function isSingleLineDocument(content: Buffer): boolean {
  const first = firstNonWhitespace(content);
  if (content[first] !== 0x7b && content[first] !== 0x5b) return false;
  const lineBreak = content.indexOf(0x0a, first);
  return lineBreak === -1 || lineBreak > lastNonWhitespace(content);
}
