/**
 * Purls as the purl specification writes them. The cases marked "spec" are build tests of the
 * purl-spec repository's test suite (tests/types/deb-test.json, rpm-test.json,
 * oci-test.json): input parts and the canonical string expected.
 */
import { describe, expect, test } from 'vitest';
import {
  dockerRepository,
  encodePurlComponent,
  imagePurl,
  packagePurl,
  purl,
} from '../../../src/lib/sbom/purl.ts';
import type { PackageRecord } from '../../../src/lib/packages/by-layer.ts';
import { ALPINE } from './support.ts';

describe('the spec test suite (build)', () => {
  test.each([
    [
      'deb',
      'debian',
      'curl',
      '7.50.3-1',
      { arch: 'i386', distro: 'jessie' },
      'pkg:deb/debian/curl@7.50.3-1?arch=i386&distro=jessie',
    ],
    [
      'deb',
      'debian',
      'attr',
      '1:2.4.47-2',
      { arch: 'source' },
      'pkg:deb/debian/attr@1:2.4.47-2?arch=source',
    ],
    [
      'deb',
      'debian',
      'attr',
      '1:2.4.47-2+b1',
      { arch: 'amd64' },
      'pkg:deb/debian/attr@1:2.4.47-2%2Bb1?arch=amd64',
    ],
    [
      'deb',
      'ubuntu',
      'dpkg',
      '1.19.0.4',
      { arch: 'amd64' },
      'pkg:deb/ubuntu/dpkg@1.19.0.4?arch=amd64',
    ],
    [
      'rpm',
      'fedora',
      'curl',
      '7.50.3-1.fc25',
      { arch: 'i386', distro: 'fedora-25' },
      'pkg:rpm/fedora/curl@7.50.3-1.fc25?arch=i386&distro=fedora-25',
    ],
    [
      'rpm',
      null,
      'centerim',
      '4.22.10-1.el6',
      { arch: 'i686', epoch: '1', distro: 'fedora-25' },
      'pkg:rpm/centerim@4.22.10-1.el6?arch=i686&distro=fedora-25&epoch=1',
    ],
    [
      'oci',
      null,
      'debian',
      'sha256:244fd47e07d10',
      { arch: 'amd64', repository_url: 'docker.io/library/debian', tag: 'latest' },
      'pkg:oci/debian@sha256:244fd47e07d10?arch=amd64&repository_url=docker.io%2Flibrary%2Fdebian&tag=latest',
    ],
    [
      'oci',
      null,
      'static',
      'sha256:244fd47e07d10',
      { repository_url: 'gcr.io/distroless/static', tag: 'latest' },
      'pkg:oci/static@sha256:244fd47e07d10?repository_url=gcr.io%2Fdistroless%2Fstatic&tag=latest',
    ],
    [
      'oci',
      null,
      'hello-wasm',
      'sha256:244fd47e07d10',
      { tag: 'v1' },
      'pkg:oci/hello-wasm@sha256:244fd47e07d10?tag=v1',
    ],
  ] as const)('%s %s/%s@%s', (type, ns, name, version, q, expected) => {
    expect(purl(type, ns, name, version, { ...q })).toBe(expected);
  });
});

describe('encoding (the spec: "Characters and encoding")', () => {
  test('alphanumerics, .-_~ and the colon stay; every other octet is %XX of its UTF-8', () => {
    expect(encodePurlComponent('aZ09.-_~:')).toBe('aZ09.-_~:');
    expect(encodePurlComponent('a b+c/d@e%f?g#h&i=j')).toBe(
      'a%20b%2Bc%2Fd%40e%25f%3Fg%23h%26i%3Dj',
    );
    expect(encodePurlComponent("!'()*")).toBe('%21%27%28%29%2A');
    expect(encodePurlComponent('é€𝄞')).toBe('%C3%A9%E2%82%AC%F0%9D%84%9E');
  });

  test('apk and deb names are lowercased, rpm names are not; empty qualifiers dropped', () => {
    expect(purl('apk', 'Alpine', 'Py3-Foo', '1.0-r0', { arch: 'x86_64', distro: '' })).toBe(
      'pkg:apk/alpine/py3-foo@1.0-r0?arch=x86_64',
    );
    expect(purl('rpm', 'Fedora', 'PyYAML', '6.0-1', {})).toBe('pkg:rpm/fedora/PyYAML@6.0-1');
  });

  test('an empty name gives no purl', () => {
    expect(purl('apk', 'alpine', '', '1', {})).toBeNull();
  });
});

const record = (over: Partial<PackageRecord>): PackageRecord => ({
  type: 'apk',
  name: 'musl',
  version: '1.2.4-r2',
  epoch: null,
  release: null,
  arch: 'x86_64',
  source: 'musl',
  licences: [],
  size: null,
  layer: null,
  file: 'lib/apk/db/installed',
  detail: { version: '1.2.4-r2', release: null } as never,
  ...over,
});

describe('package purls', () => {
  test('apk: distro qualifier <ID>-<VERSION_ID>', () => {
    expect(packagePurl(record({}), ALPINE)).toBe(
      'pkg:apk/alpine/musl@1.2.4-r2?arch=x86_64&distro=alpine-3.18.4',
    );
  });

  test('rpm: epoch a qualifier, never in the version', () => {
    const r = record({
      type: 'rpm',
      name: 'openssl-libs',
      version: '1:1.1.1k-7.el8',
      epoch: 1,
      release: '7.el8',
      detail: { version: '1.1.1k', release: '7.el8' } as never,
    });
    expect(packagePurl(r, { ...ALPINE, id: 'rhel', versionId: '8.9' })).toBe(
      'pkg:rpm/rhel/openssl-libs@1.1.1k-7.el8?arch=x86_64&distro=rhel-8.9&epoch=1',
    );
  });

  test('deb: the epoch stays in the version, + encoded', () => {
    const r = record({
      type: 'deb',
      name: 'login',
      version: '1:4.13+dfsg1-1+deb12u1',
      arch: 'amd64',
    });
    expect(packagePurl(r, { ...ALPINE, id: 'debian', versionId: '12' })).toBe(
      'pkg:deb/debian/login@1:4.13%2Bdfsg1-1%2Bdeb12u1?arch=amd64&distro=debian-12',
    );
  });

  test('no os-release: no namespace, no distro', () => {
    expect(packagePurl(record({}), null)).toBe('pkg:apk/musl@1.2.4-r2?arch=x86_64');
  });
});

describe('the image purl', () => {
  const digest = `sha256:${'0'.repeat(64)}`;
  test('a Docker Hub official image', () => {
    expect(
      imagePurl({ name: 'python', ref: 'python:3-alpine3.9', digest, architecture: 'arm64' }),
    ).toBe(
      `pkg:oci/python@${digest}?arch=arm64&repository_url=docker.io%2Flibrary%2Fpython&tag=3-alpine3.9`,
    );
  });

  test('a registry with a port; no tag in a digest reference', () => {
    expect(
      imagePurl({
        name: 'localhost:5000/team/App',
        ref: `localhost:5000/team/App@${digest}`,
        digest,
        architecture: null,
      }),
    ).toBe(`pkg:oci/app@${digest}?repository_url=localhost:5000%2Fteam%2FApp`);
  });

  test('an unnamed image: its label without the tag, no repository', () => {
    expect(
      imagePurl({ name: null, ref: 'my image:latest', digest: null, architecture: 'amd64' }),
    ).toBe('pkg:oci/my%20image?arch=amd64');
  });

  test('Docker expands short names', () => {
    expect(dockerRepository('python')).toBe('docker.io/library/python');
    expect(dockerRepository('bitnami/redis')).toBe('docker.io/bitnami/redis');
    expect(dockerRepository('ghcr.io/org/app')).toBe('ghcr.io/org/app');
    expect(dockerRepository('localhost/app')).toBe('localhost/app');
  });
});
