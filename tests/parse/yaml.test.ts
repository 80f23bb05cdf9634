import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../compiler/parse/load';
import { loadYamlFile, parseYamlText, MAX_FILE_BYTES } from '../../compiler/parse/yaml-file';
import { YAML_CODES } from '../../compiler/diagnostics/codes/yaml';
import { at, minimalSpec, MINIMAL_PROJECT, tempDir } from './helpers';

describe('YAML loading diagnostics (MAPC01xx)', () => {
  it('MAPC0101: no mapc.yaml, result null', () => {
    const dir = tempDir({ 'a.yaml': minimalSpec('a') });
    const r = loadProject(dir, { cwd: dir });
    expect(r.result).toBeNull();
    expect(r.diagnostics.map(at)).toEqual(['MAPC0101 -']);
    expect(r.diagnostics[0]!.message).toBe("no project file: 'mapc.yaml' not found");
  });

  it('MAPC0101: project folder missing', () => {
    const dir = tempDir({});
    const r = loadProject('nope', { cwd: dir });
    expect(r.result).toBeNull();
    expect(r.diagnostics.map((d) => d.message)).toEqual(["project folder 'nope' does not exist"]);
  });

  it('MAPC0102: file over 1 MB is refused before reading', () => {
    const big = 'description: "' + 'x'.repeat(MAX_FILE_BYTES) + '"\n';
    const dir = tempDir({ 'mapc.yaml': MINIMAL_PROJECT, 'big.yaml': big, 'ok.yaml': minimalSpec('ok') });
    const r = loadProject(dir, { cwd: dir });
    expect(r.diagnostics.map(at)).toEqual(['MAPC0102 1:1']);
    expect(r.diagnostics[0]!.span!.file.path).toBe('big.yaml');
    expect(r.result!.specs.map((s) => s.name.value)).toEqual(['ok']);
  });

  it('MAPC0103: non-UTF-8 bytes, located at the bad byte', () => {
    const bytes = Buffer.concat([Buffer.from('version: 1\nname: caf'), Buffer.from([0xe9]), Buffer.from('\n')]);
    const dir = tempDir({ 'mapc.yaml': MINIMAL_PROJECT, 'latin1.yaml': bytes });
    const r = loadProject(dir, { cwd: dir });
    expect(r.diagnostics.map(at)).toEqual(['MAPC0103 2:10']);
    expect(r.diagnostics[0]!.message).toBe('file is not valid UTF-8 (byte 0xe9 at byte offset 20)');
  });

  it('MAPC0104: symlink resolving outside the project', () => {
    const outside = tempDir({ 'secret.yaml': minimalSpec('stolen') });
    const dir = tempDir({ 'mapc.yaml': MINIMAL_PROJECT });
    fs.symlinkSync(path.join(outside, 'secret.yaml'), path.join(dir, 'link.yaml'));
    fs.symlinkSync(outside, path.join(dir, 'linkdir'));
    const r = loadProject(dir, { cwd: dir });
    expect(r.diagnostics.map((d) => `${at(d)} ${d.span!.file.path}`)).toEqual([
      'MAPC0104 1:1 link.yaml',
      'MAPC0104 1:1 linkdir',
    ]);
    expect(r.result!.specs).toEqual([]);
  });

  it('MAPC0104: a project file linked from outside is refused too', () => {
    const outside = tempDir({ 'mapc.yaml': MINIMAL_PROJECT });
    const dir = tempDir({ 'a.yaml': minimalSpec('a') });
    fs.symlinkSync(path.join(outside, 'mapc.yaml'), path.join(dir, 'mapc.yaml'));
    const r = loadProject(dir, { cwd: dir });
    expect(r.result).toBeNull();
    expect(r.diagnostics.map((d) => `${at(d)} ${d.span!.file.path}`)).toEqual(['MAPC0104 1:1 mapc.yaml']);
  });

  it('follows symlinks that stay inside the project, once per real folder', () => {
    const dir = tempDir({ 'mapc.yaml': MINIMAL_PROJECT, 'real/a.yaml': minimalSpec('a') });
    fs.symlinkSync(path.join(dir, 'real'), path.join(dir, 'real', 'loop'));
    const r = loadProject(dir, { cwd: dir });
    expect(r.diagnostics).toEqual([]);
    expect(r.result!.specs.map((s) => s.file.path)).toEqual(['real/a.yaml']);
  });

  it('MAPC0112: a broken symbolic link says so', () => {
    const dir = tempDir({ 'mapc.yaml': MINIMAL_PROJECT });
    fs.symlinkSync(path.join(dir, 'gone.yaml'), path.join(dir, 'a.yaml'));
    const r = loadProject(dir, { cwd: dir });
    expect(r.diagnostics.map((d) => `${at(d)} ${d.message} | ${d.hint}`)).toEqual([
      'MAPC0112 1:1 cannot read this file: it is a symbolic link to a file that does not exist (ENOENT) | fix the link, or remove it',
    ]);
  });

  it('MAPC0105: an unclosed flow list or map points at its opening bracket, not past the end', () => {
    const yf = parseYamlText('version: 1\nfields: [ { to: a\n', 'x.yaml');
    expect(yf.diagnostics.map((d) => `${at(d)} ${d.message} | ${d.hint}`)).toEqual([
      "MAPC0105 2:9 YAML syntax error: the list opened with '[' here is never closed | add '}]' where the list ends: a bracket inside it is not closed either",
    ]);
    expect(yf.data).toBeUndefined();
    const map = parseYamlText('a: b[0]\nc: { x: 1\n\n\n', 'x.yaml').diagnostics;
    expect(map.map((d) => `${at(d)} ${d.message} | ${d.hint}`)).toEqual([
      "MAPC0105 2:4 YAML syntax error: the map opened with '{' here is never closed | add '}' where the map ends, or write it as indented lines",
    ]);
    // Two yaml errors about one mismatched bracket are one diagnostic.
    expect(parseYamlText('a: {x: [1, 2}\n', 'x.yaml').diagnostics.map(at)).toEqual(['MAPC0105 1:4']);
  });

  it('MAPC0105: unclosed quoted text points at its opening quote', () => {
    const ds = parseYamlText("a: it's\nb: 'abc\nc: 1\n", 'x.yaml').diagnostics;
    expect(ds.map((d) => `${at(d)} ${d.message} | ${d.hint}`)).toEqual([
      `MAPC0105 2:4 YAML syntax error: the text opened with "'" here is never closed | add the closing ' at the end of the text`,
    ]);
  });

  it('MAPC0105: a list closed after lines indented too little keeps yaml words, on a line with content', () => {
    const ds = parseYamlText('a:\n  - [1,\n2]\n', 'x.yaml').diagnostics;
    expect(ds.map((d) => `${at(d)} ${d.message}`)).toEqual([
      'MAPC0105 3:1 YAML syntax error: flow sequence in block collection must be sufficiently indented and end with a ]',
    ]);
  });

  it('MAPC0105: tabs as indentation', () => {
    const yf = parseYamlText('defaults:\n\ttimeout: 2s\n', 'x.yaml');
    expect(yf.diagnostics.map(at)).toContain('MAPC0105 2:1');
    expect(yf.diagnostics.find((d) => d.code === 'MAPC0105')!.hint).toBe('indent with spaces, not tabs');
  });

  it('MAPC0106: duplicate key points at the second, related to the first', () => {
    const yf = parseYamlText('version: 1\nname: a\nowner: t\nname: b\n', 'x.yaml');
    expect(yf.diagnostics.map(at)).toEqual(['MAPC0106 4:1']);
    expect(yf.diagnostics[0]!.message).toBe("duplicate key 'name' in this map");
    expect(yf.diagnostics[0]!.related!.map((r) => r.span.start)).toEqual([11]);
  });

  it('MAPC0107: alias bomb', () => {
    const src = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
      '',
    ].join('\n');
    const yf = parseYamlText(src, 'x.yaml');
    expect(yf.diagnostics.map(at)).toEqual(['MAPC0107 2:8']);
    expect(yf.data).toBeUndefined();
  });

  it('a few aliases are fine', () => {
    const yf = parseYamlText('a: &t team-a\nb: *t\n', 'x.yaml');
    expect(yf.diagnostics).toEqual([]);
    expect(yf.data).toEqual({ a: 'team-a', b: 'team-a' });
  });

  it('MAPC0108: more than one document', () => {
    const yf = parseYamlText('name: a\n---\nname: b\n', 'x.yaml');
    expect(yf.diagnostics.map(at)).toEqual(['MAPC0108 2:1']);
  });

  it('MAPC0109: alias without anchor', () => {
    const yf = parseYamlText('version: 1\nowner: *team\n', 'x.yaml');
    expect(yf.diagnostics.map(at)).toEqual(['MAPC0109 2:8']);
    expect(yf.diagnostics[0]!.message).toBe("alias '*team' has no anchor '&team' before it");
  });

  it('MAPC0110: complex key', () => {
    const yf = parseYamlText('version: 1\n? [a, b]\n: 1\n', 'x.yaml');
    expect(yf.diagnostics.map(at)).toEqual(['MAPC0110 2:3']);
  });

  it('MAPC0111: unknown tag is a warning, data still produced', () => {
    const yf = parseYamlText('version: 1\nowner: !team crm\n', 'x.yaml');
    expect(yf.diagnostics.map((d) => `${at(d)} ${d.severity}`)).toEqual(['MAPC0111 2:8 warning']);
    expect(yf.data).toEqual({ version: 1, owner: 'crm' });
  });

  it('MAPC0114: a tag without a JSON form is an error on the tag, no data', () => {
    const yf = parseYamlText('version: 1\nowner: !!binary aGVsbG8=\n', 'x.yaml');
    expect(yf.diagnostics.map((d) => `${at(d)} ${d.severity}`)).toEqual(['MAPC0114 2:8 error']);
    expect(yf.data).toBeUndefined();
  });

  it('MAPC0112: unreadable file', () => {
    const yf = loadYamlFile(path.join(os.tmpdir(), 'mapc-does-not-exist.yaml'), 'gone.yaml');
    expect(yf.diagnostics.map(at)).toEqual(['MAPC0112 1:1']);
    expect(yf.diagnostics[0]!.message).toBe('cannot read this file: it does not exist (ENOENT)');
  });

  it('MAPC0113: .yml files are ignored with a warning', () => {
    const dir = tempDir({ 'mapc.yaml': MINIMAL_PROJECT, 'crm.yml': minimalSpec('crm') });
    const r = loadProject(dir, { cwd: dir });
    expect(r.diagnostics.map((d) => `${at(d)} ${d.severity} ${d.hint}`)).toEqual(['MAPC0113 1:1 warning rename it to crm.yaml']);
    expect(r.result!.specs).toEqual([]);
  });

  it('every MAPC01xx code is tested above', () => {
    const src = fs.readFileSync(__filename, 'utf8');
    for (const code of Object.keys(YAML_CODES)) expect(src).toContain(`'${code} `);
  });
});

describe('hostile but valid input', () => {
  it('strips a UTF-8 BOM; offsets start after it', () => {
    const dir = tempDir({ 'mapc.yaml': '\uFEFFversion: 1\n', 'a.yaml': '\uFEFF' + minimalSpec('a') });
    const r = loadProject(dir, { cwd: dir });
    expect(r.diagnostics).toEqual([]);
    expect(r.result!.specs[0]!.name.span.start).toBe(17);
    expect(r.result!.specs[0]!.file.text.startsWith('version')).toBe(true);
  });

  it('CRLF line ends and tabs inside values work, and locations stay right', () => {
    const src = 'version: 1\r\nname: a\r\nowner: "team\tcrm"\r\ntrigger: post-login\r\ndescription: a\tb\r\nbogus: 1\r\n';
    const dir = tempDir({ 'mapc.yaml': MINIMAL_PROJECT, 'a.yaml': src });
    const r = loadProject(dir, { cwd: dir });
    expect(r.diagnostics.map(at)).toEqual(['MAPC0201 6:1']);
    const ok = tempDir({ 'mapc.yaml': 'version: 1\r\n', 'a.yaml': src.replace('bogus: 1\r\n', '') });
    const r2 = loadProject(ok, { cwd: ok });
    expect(r2.diagnostics).toEqual([]);
    expect(r2.result!.specs[0]!.owner.value).toBe('team\tcrm');
    expect(r2.result!.specs[0]!.description).toBe('a\tb');
  });

  it('paths are relative to cwd with / separators, specs and tests sorted', () => {
    const dir = tempDir({
      'mappings/mapc.yaml': MINIMAL_PROJECT,
      'mappings/z.yaml': minimalSpec('z'),
      'mappings/b/a.yaml': minimalSpec('ba'),
      'mappings/a.yaml': minimalSpec('a'),
      'mappings/a.test.yaml': 'spec: a\ncases: []\n',
      'mappings/.hidden/x.yaml': 'garbage: [',
      'mappings/node_modules/x.yaml': 'garbage: [',
    });
    const r = loadProject('mappings', { cwd: dir });
    expect(r.diagnostics).toEqual([]);
    expect(r.result!.specs.map((s) => s.file.path)).toEqual(['mappings/a.yaml', 'mappings/b/a.yaml', 'mappings/z.yaml']);
    expect(r.result!.project.file.path).toBe('mappings/mapc.yaml');
    expect(r.result!.testFiles).toEqual([path.join(dir, 'mappings', 'a.test.yaml')]);
    expect(r.result!.root).toBe(path.join(dir, 'mappings'));
  });

  it('an invalid spec is left out, the others load; an invalid project gives null', () => {
    const dir = tempDir({ 'mapc.yaml': MINIMAL_PROJECT, 'a.yaml': minimalSpec('a'), 'b.yaml': 'version: 1\n' });
    const r = loadProject(dir, { cwd: dir });
    expect(r.result!.specs.map((s) => s.name.value)).toEqual(['a']);
    expect(r.diagnostics.map(at)).toEqual(['MAPC0202 1:1', 'MAPC0202 1:1', 'MAPC0202 1:1']);
    const bad = tempDir({ 'mapc.yaml': 'version: 1\nsystem: {}\n' });
    const r2 = loadProject(bad, { cwd: bad });
    expect(r2.result).toBeNull();
    expect(r2.diagnostics.map(at)).toEqual(['MAPC0201 2:1']);
    expect(r2.diagnostics[0]!.hint).toBe("did you mean 'systems'?");
  });
});
