/** Catalog files that cannot be indexed are skipped with one log line; the index keeps working. */
import * as assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';
import { api, TestApi, waitUntil, workspaceFile } from './helpers';

describe('Catalog robustness', function () {
  this.timeout(120_000);
  let x: TestApi;
  const created: vscode.Uri[] = [];

  before(async function () {
    x = await api();
    await x.catalog.whenReady();
  });

  after(async function () {
    for (const uri of created) await vscode.workspace.fs.delete(uri, { recursive: true }).then(undefined, () => undefined);
  });

  async function write(rel: string, content: Uint8Array | string): Promise<vscode.Uri> {
    const uri = workspaceFile(rel);
    await vscode.workspace.fs.writeFile(uri, typeof content === 'string' ? Buffer.from(content) : content);
    created.push(uri);
    return uri;
  }

  it('skips invalid JSON, a 50 MB file and a binary .json, and still finds the good SKUs', async function () {
    const invalid = await write('broken/invalid.json', '{"virtual_items": [{"sku": "com.example.broken", }');
    const big = await write('broken/huge.json', Buffer.alloc(50 * 1024 * 1024, 0x20));
    const binary = await write('broken/binary.json', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x1a, 0x0a, 0xff, 0x00]));
    fs.symlinkSync('.', workspaceFile('broken/loop').fsPath); // a symlink loop: broken/loop → broken
    created.push(workspaceFile('broken/loop'));
    await x.catalog.rebuild();
    const skipped = x.catalog.skippedFiles;
    for (const uri of [invalid, big, binary]) assert.ok(skipped.has(uri.toString()), `${uri.path} was skipped`);
    assert.match(skipped.get(invalid.toString())!, /JSON/i);
    assert.match(skipped.get(big.toString())!, /too large/i);
    assert.match(skipped.get(binary.toString())!, /binary/i);
    assert.ok(x.index.lookup('com.example.sword_iron').length === 1, 'good files are still indexed');
    assert.strictEqual(x.index.lookup('com.example.broken').length, 0);
  });

  it('drops a file deleted while it is being indexed', async function () {
    const uri = await write('broken/vanishing.json', '{"virtual_items": [{"sku": "com.example.vanishing"}]}');
    await waitUntil('the file to be indexed', () => x.index.lookup('com.example.vanishing').length === 1);
    await vscode.workspace.fs.delete(uri);
    await x.catalog.indexFromDisk(uri); // as the watcher would, after the file is gone
    assert.strictEqual(x.index.lookup('com.example.vanishing').length, 0);
    assert.match(x.catalog.skippedFiles.get(uri.toString()) ?? '', /could not be read/);
  });

  it('recovers when an invalid file becomes valid', async function () {
    const uri = await write('broken/fixed-later.json', '{"virtual_items": [');
    await waitUntil('the invalid file to be skipped', () => x.catalog.skippedFiles.has(uri.toString()));
    await vscode.workspace.fs.writeFile(uri, Buffer.from('{"virtual_items": [{"sku": "com.example.fixed_later"}]}'));
    await waitUntil('the file to be indexed once valid', () => x.index.lookup('com.example.fixed_later').length === 1);
    assert.ok(!x.catalog.skippedFiles.has(uri.toString()));
  });
});
