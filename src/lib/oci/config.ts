import type { Config, History, Platform } from './model.ts';
import { parseDigest } from './digest.ts';
import { asArray, asObject, asString, asStringArray, asStringMap } from './json.ts';

/** Returns the parts of an image config (OCI or Docker) the model keeps; tolerant of gaps. */
export function parseImageConfig(value: unknown): Config {
  const c = asObject(value) ?? {};
  const inner = asObject(c.config) ?? {};
  const history = (asArray(c.history) ?? []).map((h): History => {
    const o = asObject(h) ?? {};
    return {
      created: asString(o.created),
      createdBy: asString(o.created_by),
      emptyLayer: o.empty_layer === true,
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
    shell: asStringArray(inner.Shell),
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
export function emptyConfig(): Config {
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
