import { hash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { coverPath, pageFile, recordPath } from '../../site/site-urls.ts';
import type { SiteRecord, SiteSnapshot } from './site-catalog.ts';
import type { SitePages } from './site-pages.tsx';

/** A file's identity in the export's manifest (a page is hashed as text: encoded natively, not copied into a Buffer first). */
const fileHash = (body: string | Buffer) => hash('sha1', body, 'base64url');

/**
 * Writes the files whose bytes differ from a manifest (file -> hash), making each folder the
 * first time one of its files is written: a build creates twenty thousand folders, and asking
 * for every file's folder again would double its system calls. A folder removed meanwhile (by
 * hand, between builds) is made again. Answers each file's hash and whether it was written.
 */
export function createChangedFileWriter(outDir: string) {
  const folders = new Set<string>();
  const write = (target: string, body: string | Buffer) => {
    const folder = path.dirname(target);
    if (!folders.has(folder)) {
      mkdirSync(folder, { recursive: true });
      folders.add(folder);
    }
    try {
      writeFileSync(target, body);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      mkdirSync(folder, { recursive: true });
      writeFileSync(target, body);
    }
  };
  return (known: ReadonlyMap<string, string>, file: string, body: string | Buffer): { hash: string; written: boolean } => {
    const hash = fileHash(body);
    if (known.get(file) === hash) return { hash, written: false };
    write(path.join(outDir, file), body);
    return { hash, written: true };
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
