/** Test-only: reports of the fixtures as the reader makes them, and report objects made by
 * hand (as the model types them), every field given. */
import { nodeFileSource } from '../../src/cli/node-source.ts';
import { inspectSource } from '../../src/lib/inspect.ts';
import type { ImageReport, ManifestReport, Report } from '../../src/lib/report/model.ts';
import { FIXTURES } from './paths.ts';

/** Returns the report of the fixture `name` (tests/fixtures), read as the CLI reads a file. */
export async function fixtureReport(name: string): Promise<Report> {
  const src = await nodeFileSource(FIXTURES + name);
  try {
    return await inspectSource(src);
  } finally {
    await src.close();
  }
}

/** Returns a manifest report of linux/amd64 that says nothing else (every value null or
 * empty), with `over`'s fields instead. */
export function manifestReport(over: Partial<ManifestReport> = {}): ManifestReport {
  return {
    platform: {
      os: 'linux',
      architecture: 'amd64',
      variant: null,
      osVersion: null,
      osFeatures: null,
    },
    platformString: 'linux; amd64',
    kind: 'image',
    included: true,
    subject: null,
    digest: null,
    mediaType: null,
    size: null,
    dockerVersion: null,
    totalSize: 0,
    imageId: null,
    created: null,
    entrypoint: null,
    cmd: null,
    shell: null,
    env: null,
    labels: null,
    user: null,
    exposedPorts: null,
    workingDir: null,
    history: [],
    layers: [],
    ...over,
  };
}

/** Returns an image report named `ref` (its name too) of `manifests`, with `over`'s fields. */
export function imageReport(
  ref: string,
  manifests: ManifestReport[],
  over: Partial<ImageReport> = {},
): ImageReport {
  return { ref, name: ref, digest: null, mediaType: null, manifests, ...over };
}

/** Returns a report of an OCI layout `image.tar` of 0 bytes, not verified, no images and no
 * problems, with `over`'s fields instead. */
export function bareReport(over: Partial<Report> = {}): Report {
  return {
    schema: 'stevedore.report/v1',
    source: { name: 'image.tar', size: 0, format: 'oci-layout', compression: 'none' },
    images: [],
    verification: { status: 'not-run', checks: [] },
    problems: [],
    ...over,
  };
}
