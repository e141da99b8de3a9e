import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dockerfileFromHistory } from '../../../src/lib/report/dockerfile.ts';
import { platformString } from '../../../src/lib/report/format.ts';
import { renderJson } from '../../../src/lib/report/json.ts';
import { renderMarkdown } from '../../../src/lib/report/markdown.ts';
import type {
  HistoryEntry,
  ImageReport,
  LayerReport,
  ManifestReport,
  Platform,
  Report,
} from '../../../src/lib/report/model.ts';
import { REPO_INFO } from '../../support/paths.ts';
import { bareReport, manifestReport } from '../../support/report.ts';

const REFERENCE_DIR = REPO_INFO;
const SEED = 'remote__python__3-alpine3.9__2019-04__manifest-list.md';
const MEMCACHED = 'remote__memcached__alpine__2017-05__single-manifest.md';
const TRAEFIK =
  'remote__traefik__saintnectaire-windowsservercore-1809__2025__windows-SHELL-entrypoint.md';
const REMOTE_REFERENCES = readdirSync(REFERENCE_DIR).filter((f) => /^remote__.*\.md$/.test(f));

function readReference(file: string): string {
  return readFileSync(REFERENCE_DIR + file, 'utf8');
}

/** The reference as we print it: no `Last Modified` lines, no platform count, and no pull
 * line in an attestation's section (`unknown; unknown`: nothing there to run). */
function expectedFrom(text: string): string {
  return text
    .replace(/^\t\tLast Modified: .*\n/gm, '')
    .replace(/^-\tPlatforms: \d+$/gm, '-\tPlatforms:')
    .replace(/( - unknown; unknown\n\n)```console\n\$ docker pull [^\n]*\n```\n\n/g, '$1');
}

function emptyReport(format: Report['source']['format'] = 'oci-layout'): Report {
  return bareReport({ source: { name: 'image.tar', size: 0, format, compression: 'none' } });
}

function parsePlatform(text: string): Platform {
  const m = /^(\S+)(?: version (\S+))?; (\S+)(?: variant (\S+))?$/.exec(text);
  if (!m) throw new Error(`unexpected platform ${text}`);
  const known = (s: string | undefined) => (s === undefined || s === 'unknown' ? null : s);
  return {
    os: known(m[1]),
    architecture: known(m[3]),
    variant: known(m[4]),
    osVersion: known(m[2]),
    osFeatures: null,
  };
}

function parseSize(text: string): number {
  const m = /\((\d+) bytes\)$/.exec(text) ?? /^(\d+)\.0 B$/.exec(text);
  if (!m) throw new Error(`unexpected size ${text}`);
  return Number(m[1]);
}

/**
 * Turns a repo-info date back into a config timestamp, alternating a nanosecond fraction
 * in UTC and a +05:30 offset so that both paths of formatDate are exercised.
 */
function createdFrom(date: string, index: number): string {
  const t = Date.parse(date);
  if (index % 2 === 0) return new Date(t).toISOString().replace('.000Z', '.123456789Z');
  return new Date(t + 5.5 * 3600_000).toISOString().slice(0, 19) + '.5+05:30';
}

/** Rebuilds a plausible `created_by` (classic builder, BuildKit or Windows) for a Dockerfile line. */
function createdByFrom(
  line: string,
  args: string | null,
  shell: string[] | null,
  windows: boolean,
): string {
  const buildkit = line.endsWith(' # buildkit');
  const shellPrefix = shell ? shell.join(' ') : '/bin/sh -c';
  const run = line.startsWith('RUN ') ? line.slice(4) : null;
  if (args !== null) {
    const count = args.split(' ').filter((t) => t.includes('=')).length;
    return `${buildkit ? 'RUN ' : ''}|${count} ${args} /bin/sh -c ${run}`;
  }
  if (buildkit) return run === null ? line : `RUN /bin/sh -c ${run}`;
  if (run === null) return `${shellPrefix} #(nop)  ${line}`;
  if (/^(?:Apply image|Install update) /.test(run) || (windows && !shell)) return run;
  return `${shellPrefix} ${run}`;
}

function newManifest(platform: string): ManifestReport {
  return manifestReport({
    platform: parsePlatform(platform),
    platformString: platform,
    kind: platform === 'unknown; unknown' ? 'attestation' : 'image',
  });
}

/** Reads a repo-info remote report back into our model, with the values it prints. */
function parseReference(text: string): Report {
  const report = emptyReport('oci-layout');
  let image: ImageReport | null = null;
  let manifest: ManifestReport | null = null;
  let topPull: string | null = null;
  let totalSize: number | null = null;
  let inDockerfile = false;
  let pendingCreated: string | null = null;
  let pendingArgs: string | null = null;
  let m: RegExpExecArray | null;

  const finishManifest = () => {
    if (!manifest) return;
    manifest.totalSize = manifest.layers.reduce((sum, l) => sum + (l.size ?? 0), 0);
    expect(manifest.totalSize).toBe(totalSize);
  };

  for (const line of text.split('\n')) {
    if (inDockerfile) {
      if (line === '```') {
        inDockerfile = false;
      } else if ((m = /^# ARGS: (.*)$/.exec(line))) {
        pendingArgs = m[1] ?? '';
      } else if ((m = /^# ([A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} [\d:]{8} GMT)$/.exec(line))) {
        pendingCreated = createdFrom(m[1] ?? '', manifest!.history.length);
      } else {
        const windows = manifest!.platform.os === 'windows';
        const createdBy = createdByFrom(line, pendingArgs, manifest!.shell, windows);
        const entry: HistoryEntry = {
          created: pendingCreated,
          createdBy,
          emptyLayer: !/^(?:RUN|ADD|COPY) /.test(line),
          dockerfile: dockerfileFromHistory(createdBy, manifest!.shell),
        };
        manifest!.history.push(entry);
        pendingCreated = null;
        pendingArgs = null;
      }
    } else if ((m = /^## `(.+)`$/.exec(line))) {
      const ref = m[1] ?? '';
      image = {
        ref,
        name: ref.slice(0, ref.lastIndexOf(':')),
        digest: null,
        mediaType: null,
        manifests: [],
      };
      report.images.push(image);
      manifest = null;
      topPull = null;
    } else if ((m = /^### `.+` - (.+)$/.exec(line))) {
      finishManifest();
      manifest = newManifest(m[1] ?? '');
      if (image!.mediaType !== null) image!.digest = topPull;
      else manifest.digest = topPull;
      image!.manifests.push(manifest);
    } else if ((m = /^\$ docker pull .+@(sha256:[0-9a-f]{64})$/.exec(line))) {
      if (manifest) manifest.digest = m[1] ?? null;
      else topPull = m[1] ?? null;
    } else if ((m = /^-\tManifest MIME: `(.+)`$/.exec(line))) {
      if (manifest) manifest.mediaType = m[1] ?? null;
      else image!.mediaType = m[1] ?? null;
    } else if ((m = /^-\tDocker Version: (.+)$/.exec(line))) {
      manifest!.dockerVersion = m[1] ?? null;
    } else if ((m = /^-\tTotal Size: \*\*(.+)\*\* {2}$/.exec(line))) {
      totalSize = parseSize(m[1] ?? '');
    } else if ((m = /^-\tImage ID: `(.+)`$/.exec(line))) {
      manifest!.imageId = m[1] ?? null;
    } else if ((m = /^-\tEntrypoint: `(.+)`$/.exec(line))) {
      manifest!.entrypoint = JSON.parse(m[1] ?? '') as string[];
    } else if ((m = /^-\tDefault Command: `(.+)`$/.exec(line))) {
      manifest!.cmd = JSON.parse(m[1] ?? '') as string[];
    } else if ((m = /^-\t`SHELL`: `(.+)`$/.exec(line))) {
      manifest!.shell = JSON.parse(m[1] ?? '') as string[];
    } else if (line === '```dockerfile') {
      inDockerfile = true;
    } else if ((m = /^\t-\t`(sha256:[0-9a-f]{64})` {2}$/.exec(line))) {
      const layer: LayerReport = {
        digest: m[1] ?? null,
        size: null,
        mediaType: null,
        diffId: null,
        compression: 'gzip',
      };
      manifest!.layers.push(layer);
    } else if ((m = /^\t\tSize: (.+) {2}$/.exec(line))) {
      manifest!.layers.at(-1)!.size = parseSize(m[1] ?? '');
    } else if ((m = /^\t\tMIME: (.+)$/.exec(line))) {
      manifest!.layers.at(-1)!.mediaType = m[1] ?? null;
    }
  }
  finishManifest();
  return report;
}

describe('renderMarkdown: the repo-info references, byte for byte', () => {
  it('parses the seed into the model it shows', () => {
    const report = parseReference(readReference(SEED));
    const [image] = report.images;
    expect(image?.ref).toBe('python:3-alpine3.9');
    expect(image?.name).toBe('python');
    expect(image?.digest).toBe(
      'sha256:7d948272852a1098d2dfed0f850ada14e83e32a14a474c5a1047ee24a1e30c2a',
    );
    expect(image?.manifests.map((m) => m.platformString)).toEqual([
      'linux; amd64',
      'linux; arm variant v6',
      'linux; arm variant v7',
      'linux; arm64 variant v8',
      'linux; 386',
      'linux; ppc64le',
      'linux; s390x',
    ]);
    const amd64 = image!.manifests[0]!;
    expect(amd64.digest).toBe(
      'sha256:821e400eb74edd0d1c3cc8f34bfdaf70d86e42f03bb70eccef1085dcca03b7fc',
    );
    expect(amd64.totalSize).toBe(31255200);
    expect(amd64.layers.map((l) => l.size)).toEqual([2757009, 301875, 26383120, 230, 1812966]);
    expect(amd64.history[0]).toEqual({
      created: '2019-04-09T23:20:18.123456789Z',
      createdBy:
        '/bin/sh -c #(nop)  ADD file:2e3a37883f56a4a278bec2931fc9f91fb9ebdaa9047540fe8fde419b84a1701b in / ',
      emptyLayer: false,
      dockerfile: 'ADD file:2e3a37883f56a4a278bec2931fc9f91fb9ebdaa9047540fe8fde419b84a1701b in / ',
    });
    expect(amd64.history[1]?.created).toBe('2019-04-10T04:50:18.5+05:30');
    expect(amd64.history[4]?.createdBy).toBe('/bin/sh -c apk add --no-cache ca-certificates');
  });

  it('reproduces the seed (manifest list) from its own values', () => {
    const text = readReference(SEED);
    const expected = expectedFrom(text);
    expect(expected).not.toContain('Last Modified');
    expect(renderMarkdown(parseReference(text))).toBe(expected);
  });

  it('reproduces the memcached single-manifest report', () => {
    const text = readReference(MEMCACHED);
    const report = parseReference(text);
    expect(report.images[0]?.digest).toBeNull();
    expect(report.images[0]?.manifests[0]?.digest).toBe(
      'sha256:e75549ca17e15f48d79a924d65119bf9e1ad1b4210f9b5239406dc52c9e8e707',
    );
    expect(renderMarkdown(report)).toBe(expectedFrom(text));
  });

  it('reproduces the traefik report: Windows, SHELL, Entrypoint', () => {
    const text = readReference(TRAEFIK);
    const report = parseReference(text);
    const manifest = report.images[0]!.manifests[0]!;
    expect(manifest.history[2]?.createdBy).toBe(
      "powershell -Command $ErrorActionPreference = 'Stop'; $ProgressPreference = 'SilentlyContinue'; #(nop)  SHELL [powershell -Command $ErrorActionPreference = 'Stop'; $ProgressPreference = 'SilentlyContinue';]",
    );
    expect(manifest.history[3]?.dockerfile).toMatch(/^RUN Invoke-WebRequest {9}-Uri /);
    expect(renderMarkdown(report)).toBe(expectedFrom(text));
  });

  it.each(REMOTE_REFERENCES)('reproduces %s', (file) => {
    const text = readReference(file);
    const report = parseReference(text);
    for (const manifest of report.images.flatMap((i) => i.manifests)) {
      expect(platformString(manifest.platform)).toBe(manifest.platformString);
    }
    expect(renderMarkdown(report)).toBe(expectedFrom(text));
  });

  it('separates images with one blank line', () => {
    const seed = readReference(SEED);
    const memcached = readReference(MEMCACHED);
    const report = parseReference(seed);
    report.images.push(...parseReference(memcached).images);
    expect(renderMarkdown(report)).toBe(`${expectedFrom(seed)}\n${expectedFrom(memcached)}`);
  });
});

describe('renderMarkdown: what repo-info never sees', () => {
  const layerDigest = `sha256:${'a'.repeat(64)}`;

  function legacyReport(): Report {
    const report = emptyReport('docker-save');
    const manifest = newManifest('linux; amd64');
    manifest.dockerVersion = '18.09.7';
    manifest.imageId = `sha256:${'c'.repeat(64)}`;
    manifest.cmd = ['sh'];
    manifest.history = [
      {
        created: '2019-07-11T22:20:52.139709355Z',
        createdBy:
          '/bin/sh -c #(nop) ADD file:0eb5ea35741d23fe39cbac245b3a5d84856ed6384f4ff07d496369ee6d960bad in / ',
        emptyLayer: false,
        dockerfile:
          'ADD file:0eb5ea35741d23fe39cbac245b3a5d84856ed6384f4ff07d496369ee6d960bad in / ',
      },
      {
        created: '2019-07-11T22:20:52.375286404Z',
        createdBy: '/bin/sh -c #(nop)  CMD ["sh"]',
        emptyLayer: true,
        dockerfile: 'CMD ["sh"]',
      },
    ];
    manifest.layers = [
      {
        digest: layerDigest,
        size: 1219584,
        mediaType: null,
        diffId: layerDigest,
        compression: 'none',
      },
    ];
    manifest.totalSize = 1219584;
    report.images.push({
      ref: 'busybox:latest',
      name: 'busybox',
      digest: null,
      mediaType: null,
      manifests: [manifest],
    });
    return report;
  }

  it('prints a legacy docker save without pull lines and says the sizes are uncompressed', () => {
    expect(renderMarkdown(legacyReport())).toBe(
      [
        '## `busybox:latest`',
        '',
        '-\tPlatforms:',
        '\t-\tlinux; amd64',
        '',
        '### `busybox:latest` - linux; amd64',
        '',
        '-\tDocker Version: 18.09.7',
        '-\tTotal Size: **1.2 MB (1219584 bytes)**  ',
        '\t(uncompressed layer tar size from a legacy docker save archive)',
        `-\tImage ID: \`sha256:${'c'.repeat(64)}\``,
        '-\tDefault Command: `["sh"]`',
        '',
        '```dockerfile',
        '# Thu, 11 Jul 2019 22:20:52 GMT',
        'ADD file:0eb5ea35741d23fe39cbac245b3a5d84856ed6384f4ff07d496369ee6d960bad in / ',
        '# Thu, 11 Jul 2019 22:20:52 GMT',
        'CMD ["sh"]',
        '```',
        '',
        '-\tLayers:',
        `\t-\t\`${layerDigest}\`  `,
        '\t\tSize: 1.2 MB (1219584 bytes)',
        '',
      ].join('\n'),
    );
  });

  it('prints unknown layer digests, sizes and media types without inventing them', () => {
    const report = legacyReport();
    const manifest = report.images[0]!.manifests[0]!;
    manifest.layers = [
      { digest: null, size: null, mediaType: null, diffId: null, compression: null },
      {
        digest: null,
        size: 5,
        mediaType: 'application/vnd.oci.image.layer.v1.tar',
        diffId: null,
        compression: 'none',
      },
    ];
    const out = renderMarkdown(report);
    expect(out.slice(out.indexOf('-\tLayers:'))).toBe(
      '-\tLayers:\n\t-\t(digest unknown)\n\t-\t(digest unknown)  \n\t\tSize: 5.0 B  \n\t\tMIME: application/vnd.oci.image.layer.v1.tar\n',
    );
  });

  it('keeps the compressed note where a manifest digest exists, and prints an OCI media type', () => {
    const report = legacyReport();
    report.source.format = 'docker-save+oci';
    const manifest = report.images[0]!.manifests[0]!;
    manifest.digest = `sha256:${'d'.repeat(64)}`;
    manifest.mediaType = 'application/vnd.oci.image.manifest.v1+json';
    manifest.layers[0]!.compression = 'gzip';
    const out = renderMarkdown(report);
    expect(
      out.startsWith(
        '## `busybox:latest`\n\n```console\n$ docker pull busybox@sha256:' +
          'd'.repeat(64) +
          '\n```\n\n-\tPlatforms:\n',
      ),
    ).toBe(true);
    expect(out).toContain(
      '-\tManifest MIME: `application/vnd.oci.image.manifest.v1+json`\n-\tTotal Size: **1.2 MB (1219584 bytes)**  \n\t(compressed transfer size, not on-disk size)\n',
    );
    expect(out).toContain('### `busybox:latest` - linux; amd64\n\n-\tDocker Version:');
  });

  it('says compressed only where the layers are: uncompressed and mixed OCI layers say so', () => {
    const report = legacyReport();
    report.source.format = 'docker-save+oci';
    const manifest = report.images[0]!.manifests[0]!;
    manifest.digest = `sha256:${'d'.repeat(64)}`;
    const note = () => /\*\*  \n\t(.*)\n/.exec(renderMarkdown(report))?.[1];
    expect(note()).toBe('(uncompressed layer tar size as stored in the archive)');
    manifest.layers.push({ ...manifest.layers[0]!, compression: 'zstd' });
    expect(note()).toBe('(size of the layers as stored in the archive, some of them uncompressed)');
    manifest.layers = manifest.layers.map((l) => ({ ...l, compression: 'gzip' }));
    expect(note()).toBe('(compressed transfer size, not on-disk size)');
    // An attestation's in-toto layer is no tar (compression null): repo-info's wording stays.
    manifest.layers = manifest.layers.map((l) => ({ ...l, compression: null }));
    expect(note()).toBe('(compressed transfer size, not on-disk size)');
  });

  it('omits an empty Entrypoint, prints an empty Cmd, and handles undated or empty history', () => {
    const report = legacyReport();
    const manifest = report.images[0]!.manifests[0]!;
    manifest.dockerVersion = '';
    manifest.entrypoint = [];
    manifest.cmd = [];
    manifest.shell = ['/bin/bash', '-c'];
    manifest.history = [
      { created: null, createdBy: 'COPY a /', emptyLayer: false, dockerfile: 'COPY a /' },
      { created: 'not a date', createdBy: 'ENV A=1', emptyLayer: true, dockerfile: 'ENV A=1' },
      { created: '0001-01-01T00:00:00Z', createdBy: null, emptyLayer: true, dockerfile: '' },
    ];
    const out = renderMarkdown(report);
    expect(out).toContain(
      `-\tImage ID: \`sha256:${'c'.repeat(64)}\`\n-\tDefault Command: \`[]\`\n-\t\`SHELL\`: \`["\\/bin\\/bash","-c"]\`\n\n` +
        '```dockerfile\nCOPY a /\nENV A=1\n# Mon, 01 Jan 0001 00:00:00 GMT\n```\n',
    );
    expect(out).not.toContain('Docker Version');
    expect(out).not.toContain('Entrypoint');
  });

  it('prints an empty Dockerfile block and an empty report', () => {
    const report = legacyReport();
    report.images[0]!.manifests[0]!.history = [];
    expect(renderMarkdown(report)).toContain('\n\n```dockerfile\n```\n\n-\tLayers:\n');
    expect(renderMarkdown(emptyReport())).toBe('');
  });
});

describe('renderJson', () => {
  it('writes the schema keys in DESIGN.md order, problems last, ending in a newline', () => {
    const report = parseReference(readReference(MEMCACHED));
    report.problems.push({ code: 'blob-missing', where: 'sha256:x', message: 'missing' });
    const json = renderJson(report);
    expect(json.endsWith('}\n')).toBe(true);
    const parsed = JSON.parse(json) as Report;
    expect(parsed).toEqual(report);
    expect(Object.keys(parsed)).toEqual(['schema', 'source', 'images', 'verification', 'problems']);
    expect(Object.keys(parsed.source)).toEqual(['name', 'size', 'format', 'compression']);
    const image = parsed.images[0]!;
    expect(Object.keys(image)).toEqual(['ref', 'name', 'digest', 'mediaType', 'manifests']);
    const manifest = image.manifests[0]!;
    expect(Object.keys(manifest)).toEqual([
      'platform',
      'platformString',
      'kind',
      'included',
      'subject',
      'digest',
      'mediaType',
      'size',
      'dockerVersion',
      'totalSize',
      'imageId',
      'created',
      'entrypoint',
      'cmd',
      'shell',
      'env',
      'labels',
      'user',
      'exposedPorts',
      'workingDir',
      'history',
      'layers',
    ]);
    expect(Object.keys(manifest.platform)).toEqual([
      'os',
      'architecture',
      'variant',
      'osVersion',
      'osFeatures',
    ]);
    expect(Object.keys(manifest.history[0]!)).toEqual([
      'created',
      'createdBy',
      'emptyLayer',
      'dockerfile',
    ]);
    expect(Object.keys(manifest.layers[0]!)).toEqual([
      'digest',
      'size',
      'mediaType',
      'diffId',
      'compression',
    ]);
    expect(Object.keys(parsed.problems[0]!)).toEqual(['code', 'where', 'message']);
  });

  it('keeps schema order whatever order the fields were set in, and drops stray fields', () => {
    const report = emptyReport();
    const shuffled = {
      problems: [],
      verification: {
        checks: [
          {
            ok: true,
            message: 'ok',
            kind: 'blob-digest',
            target: 't',
            actual: 'a',
            expected: 'a',
            extra: 1,
          },
        ],
        status: 'ok',
      },
      images: [],
      source: { compression: 'gzip', format: 'oci-layout', size: 3, name: 'x.tar.gz' },
      schema: report.schema,
    } as unknown as Report;
    expect(renderJson(shuffled)).toBe(
      [
        '{',
        '  "schema": "stevedore.report/v1",',
        '  "source": {',
        '    "name": "x.tar.gz",',
        '    "size": 3,',
        '    "format": "oci-layout",',
        '    "compression": "gzip"',
        '  },',
        '  "images": [],',
        '  "verification": {',
        '    "status": "ok",',
        '    "checks": [',
        '      {',
        '        "kind": "blob-digest",',
        '        "target": "t",',
        '        "expected": "a",',
        '        "actual": "a",',
        '        "ok": true,',
        '        "message": "ok"',
        '      }',
        '    ]',
        '  },',
        '  "problems": []',
        '}',
        '',
      ].join('\n'),
    );
  });
});
