import { createHash } from "node:crypto";
import type { Prng } from "./prng.js";

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const HEX = "0123456789abcdef";
const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const BLOB_POOL_CHARS = 1 << 17;

/**
 * Identifiers in the shapes AWS uses (IAM-IDS prefixes: AKIA long-term key, ASIA temporary key,
 * AIDA user, AROA role). All drawn from one PRNG, so they repeat exactly for a given seed.
 */
export class IdFactory {
  /** Long random-looking text (session tokens, x-amz-id-2) is cut from one pre-drawn pool: much faster than drawing each character. */
  private readonly blobPool: string;

  /** `blobPool` can be shared between factories (see createBlobPool); drawing it is the costly part. */
  constructor(private readonly rng: Prng, blobPool?: string) {
    this.blobPool = blobPool ?? createBlobPool(rng);
  }

  chars(alphabet: string, length: number): string {
    let out = "";
    for (let i = 0; i < length; i++) out += alphabet[this.rng.int(alphabet.length)]!;
    return out;
  }

  hex(length: number): string {
    return this.chars(HEX, length);
  }

  /** RFC 4122 version-4 layout, as CloudTrail eventIDs and most requestIDs are. */
  uuid(): string {
    const h = this.hex(32);
    const variant = HEX[8 + this.rng.int(4)]!;
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  temporaryAccessKeyId(): string {
    return `ASIA${this.chars(BASE32, 16)}`;
  }

  longTermAccessKeyId(): string {
    return `AKIA${this.chars(BASE32, 16)}`;
  }

  /** STS session tokens are logged in full and are long; they make up much of an AssumeRole record. */
  sessionToken(): string {
    return `IQoJb3JpZ2luX2VjE${this.blob(560 + 4 * this.rng.int(120))}`;
  }

  /** Base64-looking text of the given length. */
  blob(length: number): string {
    const start = this.rng.int(BLOB_POOL_CHARS - length);
    return this.blobPool.slice(start, start + length);
  }

  instanceId(): string {
    return `i-0${this.hex(16)}`;
  }

  /** The meaningless 16-character tail of a log file name. */
  logFileUniqueString(): string {
    return this.chars(ALNUM, 16);
  }

  /** S3 data events carry a 16-hex upper-case request id instead of a UUID. */
  s3RequestId(): string {
    return this.chars("0123456789ABCDEF", 16);
  }

  amzId2(): string {
    return `${this.blob(75)}=`;
  }

  /** A 12-digit id, for things like KMS grant tokens or ENI suffixes. */
  digits(length: number): string {
    return this.chars("0123456789", length);
  }
}

export function createBlobPool(rng: Prng): string {
  const chars: string[] = [];
  for (let i = 0; i < BLOB_POOL_CHARS; i++) chars.push(BASE64[rng.int(64)]!);
  return chars.join("");
}

/**
 * IAM unique ids for the fixed org model: derived from the principal's name, not from the seed, so
 * AIDA…/AROA… ids stay the same across seeds and read the same in every corpus.
 */
export function stableUniqueId(prefix: "AIDA" | "AROA" | "AIPA" | "ANPA", name: string): string {
  return prefix + stableChars(`${prefix}:${name}`, BASE32, 17);
}

export function stableAccessKeyId(name: string): string {
  return `AKIA${stableChars(`key:${name}`, BASE32, 16)}`;
}

export function stableHex(name: string, length: number): string {
  return stableChars(`hex:${name}`, HEX, length);
}

export function stableBase64(name: string, length: number): string {
  return stableChars(`b64:${name}`, BASE64, length);
}

function stableChars(name: string, alphabet: string, length: number): string {
  const digest = createHash("sha256").update(name).digest();
  let out = "";
  for (let i = 0; i < length; i++) out += alphabet[digest[i % digest.length]! % alphabet.length]!;
  return out;
}
