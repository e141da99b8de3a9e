import type { Digest, HistoryEntry, Platform } from '../report/model.ts';
import { dockerfileFromHistory } from '../report/dockerfile.ts';
import { parseDigest } from './digest.ts';
import { asArray, asObject, asString, asStringArray, asStringMap } from './json.ts';

/** What the report takes from an image configuration. */
export interface ImageConfig {
  platform: Platform;
  dockerVersion: string | null;
  created: string | null;
  entrypoint: string[] | null;
  cmd: string[] | null;
  shell: string[] | null;
  env: string[] | null;
  labels: Record<string, string> | null;
  user: string | null;
  exposedPorts: string[] | null;
  workingDir: string | null;
  history: HistoryEntry[];
  /** `rootfs.diff_ids`, invalid ones as null. */
  diffIds: (Digest | null)[];
}

/** Returns the parts of an image config (OCI or Docker) the report shows; tolerant of gaps. */
export function parseImageConfig(value: unknown): ImageConfig {
  const c = asObject(value) ?? {};
  const inner = asObject(c.config) ?? {};
  const shell = asStringArray(inner.Shell);
  const history = (asArray(c.history) ?? []).map((h): HistoryEntry => {
    const o = asObject(h) ?? {};
    const createdBy = asString(o.created_by);
    return {
      created: asString(o.created),
      createdBy,
      emptyLayer: o.empty_layer === true,
      dockerfile: dockerfileFromHistory(createdBy, shell),
    };
  });
  const rootfs = asObject(c.rootfs) ?? {};
  const ports = asObject(inner.ExposedPorts);
  const nonEmpty = (s: string | null) => (s ? s : null);
  return {
    platform: {
      os: asString(c.os),
      architecture: asString(c.architecture),
      variant: asString(c.variant),
      osVersion: asString(c['os.version']),
      osFeatures: asStringArray(c['os.features']),
    },
    dockerVersion: nonEmpty(asString(c.docker_version)),
    created: asString(c.created),
    entrypoint: asStringArray(inner.Entrypoint),
    cmd: asStringArray(inner.Cmd),
    shell,
    env: asStringArray(inner.Env),
    labels: asStringMap(inner.Labels),
    user: nonEmpty(asString(inner.User)),
    exposedPorts: ports ? Object.keys(ports) : null,
    workingDir: nonEmpty(asString(inner.WorkingDir)),
    history,
    diffIds: (asArray(rootfs.diff_ids) ?? []).map((d) => parseDigest(d)),
  };
}

/** Returns the config of an artifact or an unreadable config: everything empty. */
export function emptyConfig(): ImageConfig {
  return parseImageConfig({});
}

/** Returns a platform with every field null. */
export function unknownPlatform(): Platform {
  return { os: null, architecture: null, variant: null, osVersion: null, osFeatures: null };
}

/** Returns `primary` where it names an os or architecture, else `fallback` (the config's). */
export function choosePlatform(primary: Platform | null, fallback: Platform): Platform {
  if (primary && (primary.os || primary.architecture)) return primary;
  return fallback;
}
