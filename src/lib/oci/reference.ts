/** How an image is called in headings and pull lines. */

export const CONTAINERD_NAME = 'io.containerd.image.name';
export const OCI_REF_NAME = 'org.opencontainers.image.ref.name';

/** Returns the file name without its directory and `.tar`, `.tar.gz`, `.tgz` or `.oci` ending. */
export function fileStem(fileName: string): string {
  const base = fileName.slice(fileName.lastIndexOf('/') + 1);
  return base.replace(/(\.tar(\.gz)?|\.tgz|\.oci)$/i, '') || base;
}

/** Returns `docker.io/library/python:3` as `python:3` and `docker.io/gen/arm64:v8` as `gen/arm64:v8`. */
export function shortenReference(reference: string): string {
  return reference.replace(/^(?:docker\.io|index\.docker\.io)\/(?:library\/)?/, '');
}

/** Returns the repository of a reference: `python:3-alpine3.9` → `python`, `a/b@sha256:…` → `a/b`. */
export function repositoryOf(reference: string): string {
  const at = reference.indexOf('@');
  const withoutDigest = at >= 0 ? reference.slice(0, at) : reference;
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  return colon > slash ? withoutDigest.slice(0, colon) : withoutDigest;
}

/**
 * Returns the heading reference and the repository: the containerd image name, else a RepoTag,
 * else the OCI ref.name (a bare tag is joined to the file stem, as the OCI spec lets ref.name be
 * only a tag), else the file stem. The repository is null unless the archive itself names one:
 * a file name is no repository, and no `docker pull` line may be made of it.
 */
export function chooseReference(options: {
  containerdName?: string | null;
  repoTags?: readonly string[] | null;
  refName?: string | null;
  fileName: string;
}): { ref: string; name: string | null } {
  const stem = fileStem(options.fileName);
  let ref: string;
  if (options.containerdName) ref = shortenReference(options.containerdName);
  else if (options.repoTags && options.repoTags.length > 0)
    ref = shortenReference(options.repoTags[0]!);
  else if (options.refName && /[/:@]/.test(options.refName))
    ref = shortenReference(options.refName);
  else return { ref: options.refName ? `${stem}:${options.refName}` : stem, name: null };
  return { ref, name: repositoryOf(ref) };
}
