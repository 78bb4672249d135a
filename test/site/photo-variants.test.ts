import { describe, expect, it } from 'vitest';
import { photoVariants } from '../../shared/photo-variants.ts';

describe('photo variants', () => {
  it('only a cover stored by the server under its hash key has a thumbnail', () => {
    const base = 'https://api.shop.example/media/';
    const key = '0123456789abcdef0123456789abcdef';
    expect(photoVariants(`${base}${key}/cover.jpg`, [base])).toEqual({ cover: `${base}${key}/cover.jpg`, thumb: `${base}${key}/thumb.jpg` });
    expect(photoVariants(`https://elsewhere.example/media/${key}/cover.jpg`, [base])).toBeNull();
    expect(photoVariants(`${base}${key}/original.png`, [base])).toBeNull();
    expect(photoVariants(`${base}../${key}/cover.jpg`, [base])).toBeNull();
    expect(photoVariants(null, [base])).toBeNull();
  });
});
