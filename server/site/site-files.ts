import { hash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { coverPath, pageFile, recordPath } from '../../site/site-urls.ts';
import type { SiteRecord, SiteSnapshot } from './site-catalog.ts';
import type { SitePages } from './site-pages.tsx';

/**
 * Writes the files whose bytes differ from a manifest (file -> hash). A page is encoded once, into
 * a buffer the writer keeps, and both hashed and written from there: hashing and writing the
 * text would encode it twice. Each folder is made once, after its parent, with one system call:
 * a build makes twenty thousand of them, and a recursive mkdir asks about every parent again. A
 * folder removed meanwhile (by hand, between builds) is made again. Answers each file's hash and
 * whether it was written.
 */
export function createChangedFileWriter(outDir: string) {
  const folders = new Set<string>([outDir]);
  let scratch = Buffer.allocUnsafe(64 * 1024);
  const encode = (text: string): Buffer => {
    const written = scratch.write(text);
    // Within a character of full, the text may not all have fitted: encoded again into a larger buffer.
    if (written > scratch.length - 4) {
      scratch = Buffer.allocUnsafe(Math.max(2 * scratch.length, Buffer.byteLength(text) + 4));
      return encode(text);
    }
    return scratch.subarray(0, written);
  };
  const makeFolder = (folder: string) => {
    if (folders.has(folder)) return;
    makeFolder(path.dirname(folder));
    try {
      mkdirSync(folder);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    folders.add(folder);
  };
  const write = (target: string, bytes: Buffer) => {
    try {
      makeFolder(path.dirname(target));
      writeFileSync(target, bytes);
    } catch (error) {
      // A folder this writer made was removed since: made again, with its parents.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, bytes);
    }
  };
  return (known: ReadonlyMap<string, string>, file: string, body: string | Buffer): { hash: string; written: boolean } => {
    const bytes = typeof body === 'string' ? encode(body) : body;
    const digest = hash('sha1', bytes, 'base64url');
    if (known.get(file) === digest) return { hash: digest, written: false };
    write(path.join(outDir, file), bytes);
    return { hash: digest, written: true };
  };
}

/** The files of one record: its page, the bare number's redirect and, without a photo, its generated cover. */
export function recordFiles(pages: SitePages, s: SiteSnapshot, record: SiteRecord): Array<[string, string]> {
  const files: Array<[string, string]> = [
    [pageFile(recordPath(record)), pages.record(s, record)],
    // /records/12/ (no slug) and old slugs redirect; the bare number is written once per record.
    [pageFile(`/records/${record.number}/`), pages.redirect(recordPath(record))],
  ];
  if (!record.image_url) files.push([coverPath(record).slice(1), pages.cover(record)]);
  return files;
}
