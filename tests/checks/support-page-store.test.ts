import { afterEach, describe, expect, it } from 'vitest';
import { PageStore, TemporaryFileError } from '../../src/checks/support/page-store.js';

const PAGE = 1 << 20;

describe('PageStore temporary file', () => {
  const tmpdirBefore = process.env.TMPDIR;
  afterEach(() => {
    if (tmpdirBefore === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = tmpdirBefore;
  });

  it('says where it could not make its temporary file and what to do, when TMPDIR names no folder', () => {
    process.env.TMPDIR = '/nonexistent/readiness-test';
    const store = new PageStore({ pagesInMemory: 1 });
    const record = Buffer.alloc(PAGE / 2, 'x');
    const fill = (): void => {
      for (let i = 0; i < 4; i++) store.add(record.length, (bytes, at) => record.copy(bytes, at));
    };
    expect(fill).toThrow(TemporaryFileError);
    expect(fill).toThrow(
      /^cannot write a temporary file in \/nonexistent\/readiness-test \(ENOENT\): .*set TMPDIR to a folder you can write to, with free space$/,
    );
  });

  it('calls a full disk a full disk', () => {
    const error = new TemporaryFileError('/tmp', Object.assign(new Error('no space left on device'), { code: 'ENOSPC' }));
    expect(error.message).toMatch(/^no room for a temporary file in \/tmp \(ENOSPC\): readiness keeps long lists of objects in temporary files/);
  });
});
